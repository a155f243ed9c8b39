"""Forms of the governance app: they read and check input; the services decide."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Channel, ChannelKind, ElectionPeriod, Institution, RuleCategory, RuleKind, Severity, User
from .selectors import MAX_RANGE_DAYS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("As members know it, e.g. “WA Grup Resmi MTsN 1 Muara Enim”."))
    link = forms.CharField(
        label=_("Link or handle"), max_length=300, required=False,
        help_text=_("A group's invitation link, or an account's address or @handle. The same account written "
                    "another way is recognised as a duplicate."),
    )
    is_official = forms.BooleanField(
        label=_("Official: run by the institution"), required=False, initial=True,
        help_text=_("Untick for informal groups that staff run beside the official one."),
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    posting_target = forms.IntegerField(
        label=_("Posting target"), required=False, min_value=1, max_value=100,
        help_text=_("Official accounts only: how many posts are expected."),
    )
    posting_target_unit = forms.ChoiceField(label=_("Posting target per"), choices=Channel.TargetUnit.choices,
                                            initial=Channel.TargetUnit.DAY)

    @classmethod
    def for_channel(cls, channel: Channel, data=None):
        initial = {name: getattr(channel, name) for name in
                   ("kind", "name", "link", "is_official", "purpose", "posting_target", "posting_target_unit")}
        return cls(data, initial=initial)


class ChannelFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ChannelKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("active", _("In use")), ("archived", _("Archived")), ("all", _("All"))],
    )


class CodeVersionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    preamble = forms.CharField(label=_("Preamble"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("Who the code applies to and what happens when it is broken."))
    source_note = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Where these rules come from, e.g. the meeting or the article that set "
                                              "them, with its date."))
    change_note = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("A short note for staff on what this version changes."))


class RuleForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=12, help_text=_("e.g. 3, 3a or L2."))
    kind = forms.ChoiceField(label=_("Kind of rule"), choices=RuleKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=RuleCategory.choices)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Severity.choices, coerce=int,
                                      initial=Severity.MEDIUM)
    channel_kinds = forms.MultipleChoiceField(
        label=_("Applies to"), required=False, choices=ChannelKind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave every box empty when the rule applies to every group and account, personal ones included."),
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, data=None, *, institution: Institution, default_days: int = 30, **kwargs):
        today = institution.local_today()
        self.default_start = today - datetime.timedelta(days=default_days - 1)
        self.default_end = today
        if data is not None and not any(data.get(name) for name in ("start", "end")):
            data = None
        super().__init__(data, initial={"start": self.default_start, "end": self.default_end}, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (end - start).days + 1 > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Choose at most %(days)s days.") % {"days": MAX_RANGE_DAYS})
        return cleaned

    def range(self) -> tuple[datetime.date, datetime.date]:
        """The chosen range, or the default (the last 30 days) when the form is empty or invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.default_start, self.default_end


class ActivityForm(DateRangeForm):
    bucket = forms.ChoiceField(label=_("Show"), choices=[("day", _("Per day")), ("week", _("Per week"))],
                               required=False)


class PublicationFilterForm(forms.Form):
    channel = forms.ModelChoiceField(label=_("Account"), queryset=Channel.objects.none(), required=False,
                                     empty_label=_("All accounts"))
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Until"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = selectors.official_accounts(institution, include_archived=True)


class AuditFilterForm(forms.Form):
    """The audit view's filters, all in the URL (the downloads take the same)."""

    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Until"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    case = forms.IntegerField(label=_("Case number"), required=False, min_value=1,
                              error_messages={"invalid": _("Enter the case number, for example 15."),
                                              "min_value": _("Enter the case number, for example 15.")})

    def __init__(self, *args, actions: list[str], actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *((a, a) for a in actions)]
        self.fields["actor"].choices = [("", _("Everyone")), *((u.pk, str(u)) for u in actors)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def filters(self) -> dict:
        """The chosen filters for ``selectors.audit_entries``; none while the form is empty or invalid."""
        if not (self.is_bound and self.is_valid()):
            return {}
        data = self.cleaned_data
        return {"start": data["start"], "end": data["end"], "action": data["action"], "actor_id": data["actor"],
                "case": data["case"]}


class PublicationForm(forms.Form):
    channel = forms.ModelChoiceField(label=_("Account"), queryset=Channel.objects.none())
    published_at = forms.DateTimeField(
        label=_("Published at"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    link = forms.URLField(label=_("Link to the post"), required=False, max_length=500, assume_scheme="https")
    topic = forms.CharField(label=_("Topic"), max_length=200)
    source_verified = forms.BooleanField(label=_("Source checked"), required=False)
    content_true = forms.BooleanField(label=_("Content is true"), required=False)
    nothing_confidential = forms.BooleanField(
        label=_("Nothing confidential visible"), required=False,
        help_text=_("No whiteboards, slides, papers or screens with confidential information in the picture."),
    )
    neutral = forms.BooleanField(label=_("Politically neutral"), required=False)
    caption_matches = forms.BooleanField(label=_("Caption matches the picture"), required=False)
    reviewed_by = forms.ModelChoiceField(label=_("Checked by"), queryset=None, required=False,
                                         empty_label=_("Not recorded"))

    def __init__(self, *args, institution: Institution, current_channel: Channel | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = selectors.official_accounts(institution, include_archived=True)
        # An entry of an account archived since keeps its account; new entries need an account in use.
        keep = Q(is_active=True) | Q(pk=current_channel.pk) if current_channel is not None else Q(is_active=True)
        self.fields["channel"].queryset = accounts.filter(keep).order_by("name")
        self.fields["channel"].label_from_instance = lambda c: f"{c.name} · {c.get_kind_display()}"
        from .models import User

        member_ids = [user.pk for user in selectors.active_members(institution)]
        self.fields["reviewed_by"].queryset = User.objects.filter(pk__in=member_ids).order_by("full_name", "email")


class PublicationDraftForm(forms.Form):
    channel = forms.ModelChoiceField(label=_("Account"), queryset=Channel.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    link = forms.URLField(label=_("Link to the draft"), required=False, max_length=500, assume_scheme="https",
                          help_text=_("Optional: where the text and picture can be seen, e.g. a shared document."))

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = selectors.official_accounts(institution).filter(is_active=True).order_by("name")
        self.fields["channel"].label_from_instance = lambda c: f"{c.name} · {c.get_kind_display()}"


CHECK_LABELS = {
    "source_verified": _("The source is checked"),
    "content_true": _("The content is true"),
    "nothing_confidential": _("Nothing confidential is visible (whiteboards, slides, papers, screens)"),
    "neutral": _("The post is politically neutral"),
    "caption_matches": _("The caption matches the picture"),
}


class PublicationCheckForm(forms.Form):
    """The five checks before publishing, each a yes with an optional note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CHECK_LABELS.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)
            self.fields[f"{name}_note"] = forms.CharField(label=_("Note"), required=False, max_length=300)

    def answers(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in CHECK_LABELS}

    def notes(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"{name}_note"] for name in CHECK_LABELS}


class PublicationPublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label=_("Published at"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    link = forms.URLField(label=_("Link to the post"), required=False, max_length=500, assume_scheme="https")


class PublicationImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False,
                           help_text=_("Comma- or semicolon-separated, as saved by Excel or LibreOffice (max. 1 MB)."))
    content = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("content"):
            raise forms.ValidationError(_("Choose the CSV file to import."))
        return cleaned


class RegionCodesField(forms.CharField):
    """Kemendagri codes typed as text ("16.03, 16.08" or one per line), stored as a list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [code for code in re.split(r"[\s,;]+", value or "") if code]


class ElectionPeriodForm(forms.ModelForm):
    """One election period; the model checks the order of the dates, the service who may keep it."""

    region_codes = RegionCodesField(
        label=_("Region codes"), required=False,
        help_text=_("Kemendagri codes separated by commas: provinces like 16, regencies/cities like 16.03. "
                    "Empty for the whole country."),
    )

    class Meta:
        model = ElectionPeriod
        fields = ["name", "kind", "coverage", "region_codes", "campaign_starts_on", "campaign_ends_on",
                  "quiet_starts_on", "quiet_ends_on", "voting_day", "candidate_names", "campaign_terms"]
        widgets = {
            **{name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
               for name in ("campaign_starts_on", "campaign_ends_on", "quiet_starts_on", "quiet_ends_on", "voting_day")},
            "candidate_names": forms.Textarea(attrs={"rows": 3}),
            "campaign_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:
            # An institution keeps the regional elections of its own region only.
            self.fields["kind"].choices = [(value, label) for value, label in ElectionPeriod.Kind.choices
                                           if value != ElectionPeriod.Kind.PEMILU]
            coverages = [ElectionPeriod.Coverage.REGENCY] if region.coverage == ElectionPeriod.Coverage.REGENCY \
                else [ElectionPeriod.Coverage.PROVINCE, ElectionPeriod.Coverage.REGENCY]
            self.fields["coverage"].choices = [(value, label) for value, label in ElectionPeriod.Coverage.choices
                                               if value in coverages]
            if not self.instance.pk and not self.is_bound:
                self.initial.setdefault("coverage", region.coverage)
                self.initial.setdefault("region_codes", [region.code])



class AccountSettingsForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200,
                                help_text=_("As colleagues know it; letters use the name in the staff record."))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES,
                                 help_text=_("Pages, notices and e-mails come in this language."))
    notification_mode = forms.ChoiceField(
        label=_("Notices by e-mail"), choices=User.NotificationMode.choices, widget=forms.RadioSelect,
        help_text=_("A decision waiting for you and a deadline you must meet always come by e-mail at once."),
    )
class InstitutionProfileForm(forms.Form):
    """The institution's profile; every value is checked again (and saved) by
    ``services.institution_settings_update``, which puts its refusals on these fields."""

    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    phone = forms.CharField(label=_("Telephone"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                            help_text=_("For example 0734 421234."))
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    letterhead = forms.CharField(
        label=_("Letterhead lines"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to four lines printed above the institution's name on its letters, one per line, e.g. "
                    "KEMENTERIAN AGAMA REPUBLIK INDONESIA. Empty: the names of the two institutions above."),
    )
    logo = forms.FileField(label=_("Logo"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
                           help_text=_("PNG or JPEG, at most 512 KB and 2000 × 2000 pixels."))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=Institution._meta.get_field("timezone").choices)
    province_code = forms.CharField(label=_("Province code (Kemendagri)"), max_length=2, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric"}), help_text=_("E.g. 16."))
    regency_code = forms.CharField(label=_("Regency/city code (Kemendagri)"), max_length=5, required=False,
                                   help_text=_("E.g. 16.03; empty for a province-level institution."))

    def __init__(self, *args, institution: Institution, **kwargs):
        from .services import PROFILE_FIELDS

        kwargs.setdefault("initial", {name: getattr(institution, name) for name in PROFILE_FIELDS})
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg"})
        if not institution.logo:
            del self.fields["remove_logo"]


class InstitutionLettersForm(forms.Form):
    """Letter numbers: the unit code, the classification code (one default and one per letter kind)
    and the number template, checked by ``governance.numbering.validate_number_template``."""

    letter_unit_code = forms.CharField(label=_("Unit code (kode jabatan)"), max_length=64, required=False,
                                       help_text=_("Put in letter numbers as {kode_jabatan}, e.g. Mts.06.03.1."))
    letter_classification_code = forms.CharField(
        label=_("Archive classification code"), max_length=32,
        help_text=_("Put in letter numbers as {kode_klasifikasi}. KP.04.2 suits Kemenag; other institutions use "
                    "their own classification."))
    letter_number_template = forms.CharField(label=_("Number template"), max_length=120)

    def __init__(self, *args, institution: Institution, **kwargs):
        from .numbering import TEMPLATE_HELP, letter_kinds

        overrides = institution.letter_classification_overrides or {}
        initial = {"letter_unit_code": institution.letter_unit_code,
                   "letter_classification_code": institution.letter_classification_code,
                   "letter_number_template": institution.letter_number_template}
        self.kinds = letter_kinds()
        for kind in self.kinds:
            initial[self.kind_field(kind.key)] = overrides.get(kind.key, "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["letter_number_template"].help_text = TEMPLATE_HELP
        for kind in self.kinds:
            self.fields[self.kind_field(kind.key)] = forms.CharField(
                label=_("Classification code for: %(kind)s") % {"kind": kind.label}, max_length=32, required=False,
                help_text=_("Empty: the code above."))

    @staticmethod
    def kind_field(key: str) -> str:
        return "kind_" + key.replace(".", "__")

    def clean_letter_number_template(self):
        from .numbering import validate_number_template

        value = self.cleaned_data["letter_number_template"].strip()
        validate_number_template(value)
        return value

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "letter_unit_code": data["letter_unit_code"], "letter_classification_code": data["letter_classification_code"],
            "letter_number_template": data["letter_number_template"],
            "letter_classification_overrides": {kind.key: data.get(self.kind_field(kind.key), "") for kind in self.kinds},
        }
