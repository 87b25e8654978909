"""The error summary at the top of a form's page (core.forms.error_summary)."""

from django import template

from core.forms import error_summary as summary

register = template.Library()


@register.simple_tag
def error_summary(form=None, formsets=None):
    """``{% error_summary form formsets as errors %}``: every error of the form and of its child rows, in page order."""
    return summary(form or None, formsets or ())
