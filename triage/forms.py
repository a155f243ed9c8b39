"""Forms of chat-export triage: they read and shape input; ``triage.services`` decides what is allowed."""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from governance.models import RuleCategory
from governance.templatetags.santun import localdt
from sanctions.forms import CHECK, DATE, ReportForm

from .models import ChatFlagState

CHAT_ACCEPT = ".txt,.zip,text/plain,application/zip"


class ChatUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Exported chat (.txt or .zip)"), allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": CHAT_ACCEPT}),
        help_text=_("In WhatsApp: open the group, tap ⋮ › More › Export chat. “Without media” is enough; upload "
                    "the .zip or the .txt exactly as WhatsApp made it."),
    )
    only_new = forms.BooleanField(label=_("Only flag messages sent since the last import"), required=False,
                                  initial=True)

    def __init__(self, *args, previous=None, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        if previous is None:
            del self.fields["only_new"]
        else:
            self.fields["only_new"].help_text = _(
                "The last confirmed import of this group reaches %(when)s. An export holds the whole history, so "
                "older messages were triaged already.") % {"when": localdt(previous.last_at, institution)}


class DateOrderForm(forms.Form):
    order = forms.ChoiceField(label=_("How does this file write its dates?"), widget=forms.RadioSelect(attrs=CHECK))

    def __init__(self, *args, readings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].choices = [(order, label) for order, label in readings]


class AuthorMatchForm(forms.Form):
    author = forms.ModelChoiceField(label=_("Name or number in the chat"), queryset=None, empty_label=None)
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False,
                                   empty_label=_("— not on the staff list —"))

    def __init__(self, *args, authors, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = authors
        self.fields["author"].label_from_instance = lambda a: a.name + (f" — {a.staff.full_name}" if a.staff_id else "")
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: f"{s.full_name} — {s.position}" if s.position else s.full_name


class FlagFilterForm(forms.Form):
    STATES = [*ChatFlagState.choices, ("semua", _("All"))]

    status = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    kategori = forms.ChoiceField(label=_("Category"), required=False)
    penulis = forms.TypedChoiceField(label=_("Author"), required=False, coerce=int, empty_value=None)
    dari = forms.DateField(label=_("From date"), required=False, widget=DATE)
    sampai = forms.DateField(label=_("Until date"), required=False, widget=DATE)

    def __init__(self, *args, authors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kategori"].choices = [("", _("All categories")), *RuleCategory.choices]
        self.fields["penulis"].choices = [("", _("All senders")), *[(a.pk, a.name) for a in authors]]

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", _("The end date is before the start date."))
        return data


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why is this not a violation?"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000)


class ChatReportForm(ReportForm):
    """The sanctions report form, pre-filled from a flag; its source is always chat-export triage."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, humas=True, **kwargs)
        del self.fields["source"]
        del self.fields["on_behalf_of"]
        self.fields["evidence"].label = _("More evidence (optional)")
        self.fields["evidence"].help_text = _(
            "The PDF of the message and its context is attached by itself. Add screenshots only if they show more.")

    def service_kwargs(self) -> dict:
        kwargs = super().service_kwargs()
        kwargs.pop("source", None)
        kwargs.pop("on_behalf_of", None)
        return kwargs


class LexiconForm(forms.Form):
    additions = forms.CharField(label=_("Terms to add (one per line)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6}),
                                help_text=_("Words or short phrases. End a word with * to match every word that starts "
                                            "with it, e.g. kampanye*. Child institutions inherit these terms."))
    removals = forms.CharField(label=_("Default or inherited terms not to flag here (one per line)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("For a term that flags too many harmless messages in this institution."))


def date_reading_label(example: str, spec) -> str:
    """“03/04/24 = 3 April 2024” for one reading of an ambiguous date."""
    import datetime

    from .chat.formats import ymd

    parts = ymd(example, spec) if example else None
    if not parts:
        return ""
    return formats.date_format(datetime.date(*parts), "DATE_FORMAT")
