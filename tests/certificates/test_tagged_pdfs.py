"""Every PDF the hub prints is tagged for assistive technology (PDF/UA-1): its headings, paragraphs,
tables with header cells and images with alt text are marked up, with its language and title."""

import io
from collections import Counter

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from certificates.models import Certificate
from certificates.services import submit_evaluation
from tests.certificates.test_evaluations_and_certificates import GOOD, attended  # noqa: F401 (a fixture)


def structure(content: bytes) -> tuple[PdfReader, Counter, list[tuple[str, str]]]:
    """The PDF, how many of each structure element its tag tree holds, and each element's alt text."""
    reader = PdfReader(io.BytesIO(content))
    kinds, alts = Counter(), []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return
        if "/S" in node:
            kinds[str(node["/S"])] += 1
        if "/Alt" in node:
            alts.append((str(node["/S"]), str(node["/Alt"])))
        children = node.get("/K")
        for child in children if isinstance(children, ArrayObject) else [children]:
            if isinstance(child, (IndirectObject, DictionaryObject)):
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return reader, kinds, alts


def assert_tagged(content: bytes, title: str) -> tuple[Counter, list]:
    reader, kinds, alts = structure(content)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == title and root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert kinds["/H1"] == 1
    return kinds, alts


def test_the_certificate_is_tagged_and_its_qr_code_has_alt_text(client, attended, practitioner):  # noqa: F811
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    certificate = Certificate.objects.get()
    client.force_login(practitioner)
    content = client.get(f"/certificates/{certificate.code}.pdf").content
    kinds, alts = assert_tagged(content, "Certificate: Understanding Neglect and Local Procedures")
    assert kinds["/P"] >= 6
    assert alts == [("/Figure", f"QR code: a link to check this certificate at http://127.0.0.1:8000"
                                f"/certificates/verify/{certificate.code}/")]


def test_the_learning_record_pdf_is_tagged_with_table_headers(client, attended, practitioner):  # noqa: F811
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    client.force_login(practitioner)
    kinds, _ = assert_tagged(client.get("/learning-record/?format=pdf").content, "Learning record: Priya Shah")
    assert kinds["/H2"] == 2 and kinds["/Table"] == 1 and kinds["/TH"] == 6 and kinds["/TD"] == 6


def test_the_sign_in_sheet_is_tagged_with_table_headers(client, attended, trainer):  # noqa: F811
    client.force_login(trainer)
    session = attended[0].session
    content = client.get(f"/sessions/{session.pk}/register/sign-in-sheet.pdf").content
    kinds, _ = assert_tagged(content, "Sign-in sheet: Understanding Neglect and Local Procedures")
    assert kinds["/Table"] >= 1 and kinds["/TH"] == 5 * kinds["/Table"]


def test_printing_fetches_only_the_hubs_own_fonts_and_inline_images():
    from lib.pdf import FONTS, own_files_only

    fetch = own_files_only()
    font, inline = fetch((FONTS / "DejaVuSans.ttf").as_uri()), fetch("data:text/plain,hello")
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert inline.read() == b"hello"
    font.close()
    inline.close()
    for elsewhere in ("file:///etc/passwd", (FONTS.parent / "pdf.py").as_uri(), "http://169.254.169.254/latest/",
                      FONTS.as_uri() + "-other/x.ttf"):
        with pytest.raises(ValueError, match="Not one of the hub's own files"):
            fetch(elsewhere)
