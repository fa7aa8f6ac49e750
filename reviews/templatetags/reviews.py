from django import template

from reviews.selectors import reviews_answered_by

register = template.Library()


@register.inclusion_tag("reviews/_answers.html")
def answers_learning(course=None, resource=None):
    """On a course or resource page: which reviews' learning it answers (title and kind only)."""
    return {"reviews": reviews_answered_by(course=course, resource=resource)}
