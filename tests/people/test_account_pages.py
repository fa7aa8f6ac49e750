"""Every sign-in and account page speaks like the rest of the hub: GOV.UK markup and sentence case."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from tests.conftest import PASSWORD, sent

# Words that keep their capital wherever they stand in a sentence.
PROPER = {"I", "GOV.UK", "Halton", "Priya", "Shah"}
READ_TAGS = {"title", "h1", "h2", "h3", "label", "legend", "button", "a", "strong", "p", "li", "dt", "dd"}


class PageWords(HTMLParser):
    """The text of each heading, label, button, link and paragraph in <main> (and the title), and the
    classes of each link there."""

    def __init__(self):
        super().__init__()
        self.texts: list[tuple[str, str]] = []
        self.link_classes: list[tuple[str, str]] = []
        self.stack: list[list] = []
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        if tag in READ_TAGS and (self.in_main or tag == "title"):
            self.stack.append([tag, ""])
            if tag == "a":
                self.link_classes.append((attrs.get("href", ""), attrs.get("class") or ""))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if self.stack and self.stack[-1][0] == tag:
            name, text = self.stack.pop()
            self.texts.append((name, " ".join(text.split())))
            if self.stack:
                self.stack[-1][1] += " | " + text + " | "  # a tag inside a label is a phrase of its own

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data


def title_case_words(text: str) -> list[str]:
    """Capitalised words that do not start a sentence: "In" in "Sign In", "Me" in "Remember Me"."""
    found = []
    for sentence in re.split(r"(?<=[.?!:])\s+|\s+[–(]\s*|\s*\|\s*", text):
        words = sentence.split()
        for word in words[1:]:
            bare = word.strip("()[].,:;?!'\"")
            if bare[:1].isupper() and bare not in PROPER and not bare.isupper() and "@" not in bare:
                found.append(bare)
    return found


def read(response) -> PageWords:
    assert response.status_code == 200, response.status_code
    words = PageWords()
    words.feed(response.content.decode())
    return words


def assert_reads_like_the_hub(response, settings):
    words = read(response)
    assert words.texts, "the page has no words"
    for tag, text in words.texts:
        text = text.replace(settings.PARTNERSHIP_NAME, "the partnership").replace("Training hub", "training hub")
        assert not title_case_words(text), f"<{tag}> {text!r} is in Title Case"
    for href, classes in words.link_classes:
        if href.startswith("#"):
            continue  # the error summary's links, which GOV.UK styles by their place
        assert re.search(r"\bgovuk-(link|button|back-link|notification-banner__link)\b", classes), (
            f"the link to {href} is not styled as a GOV.UK link"
        )
    html = response.content.decode()
    assert 'class="govuk-heading-xl"' in html or "govuk-panel__title" in html


SIGNED_OUT_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
    "/accounts/password/reset/key/1-not-a-real-key/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-real-key/",
    "/accounts/inactive/",
]

SIGNED_IN_PAGES = [
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
]


@pytest.mark.parametrize("path", SIGNED_OUT_PAGES)
def test_each_sign_in_page_is_in_sentence_case_with_govuk_links(client, db, settings, path):
    assert_reads_like_the_hub(client.get(path), settings)


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_each_account_page_is_in_sentence_case_with_govuk_links(client, practitioner, settings, path):
    client.force_login(practitioner)
    assert_reads_like_the_hub(client.get(path), settings)


def test_the_pages_reached_from_emails_are_in_sentence_case(client, practitioner, settings):
    client.post("/accounts/password/reset/", {"email": practitioner.email})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", sent()[-1].body).group(1)
    response = client.get(link, follow=True)
    assert_reads_like_the_hub(response, settings)
    assert "Choose a new password" in response.content.decode()
    address = EmailAddress.objects.create(user=practitioner, email="second@halton.gov.uk")
    response = client.get(f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/")
    assert_reads_like_the_hub(response, settings)
    assert "Confirm that second@halton.gov.uk is your email address" in response.content.decode()


def test_a_person_without_a_password_is_asked_to_set_one_in_sentence_case(client, practitioner, settings):
    practitioner.set_unusable_password()
    practitioner.save()
    client.force_login(practitioner)
    response = client.get("/accounts/password/set/")
    assert_reads_like_the_hub(response, settings)
    assert "Set a password" in response.content.decode()


def test_a_form_with_mistakes_keeps_sentence_case_and_names_each_mistake(client, db, settings):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    assert_reads_like_the_hub(response, settings)
    html = response.content.decode()
    assert "There is a problem" in html and "Enter your email address" in html


def test_allauth_words_are_gone_from_the_sign_in_page(client, db):
    html = client.get("/accounts/login/").content.decode()
    for words in ("Sign In", "Remember Me", "Forgot your password", "please sign up"):
        assert words not in html
    assert "Keep me signed in on this device" in html and "Forgotten your password?" in html


def test_signing_in_shows_no_success_banner(client, practitioner):
    response = client.post("/accounts/login/", {"login": practitioner.email, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Successfully signed in" not in html
    assert "govuk-notification-banner" not in html


def test_the_email_page_offers_choices_only_when_there_is_a_choice(client, practitioner, settings):
    client.force_login(practitioner)
    one = client.get("/accounts/email/").content.decode()
    assert "You sign in with" in one and "Make it the main address" not in one and "Remove" not in one
    EmailAddress.objects.create(user=practitioner, email="second@halton.gov.uk")
    response = client.get("/accounts/email/")
    assert_reads_like_the_hub(response, settings)
    two = response.content.decode()
    assert "Make it the main address" in two and "Not confirmed yet" in two and "Main address" in two
