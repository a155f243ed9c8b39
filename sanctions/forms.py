"""Forms of the sanctions app: they read and shape input; the services decide what is allowed."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Channel

from . import selectors
from .evidence import max_evidence_bytes
from .ladders import PRESETS
from .models import DeliveryMethod, LevelKind, ReferralTrack, ReportSource

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
CHECK = {"class": "form-check-input"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Where a service's refusal belongs on the report form (by its code).
ERROR_FIELDS = {
    "subject": "subject_staff", "channel": "channel", "place": "place_note", "future": "occurred_on",
    "no_rules": "rules", "foreign_rule": "rules", "no_code": "rules", "empty": "evidence", "too_large": "evidence",
    "not_evidence": "evidence", "pdf_broken": "evidence", "pdf_active": "evidence", "image_too_large": "evidence",
    "too_many": "evidence", "phone": "subject_phone",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def read_uploads(files) -> list[tuple[str, bytes]]:
    """Read uploads for inspection, refusing oversize ones before reading them whole."""
    limit = max_evidence_bytes()
    out = []
    for upload in files or []:
        if upload.size > limit:
            from django.template.defaultfilters import filesizeformat

            raise ValidationError(
                _("%(name)s is %(size)s; evidence may be at most %(limit)s. Send a smaller screenshot or a compressed PDF.")
                % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large")
        out.append((upload.name, upload.read()))
    return out


class ReportForm(forms.Form):
    SUBJECT_KINDS = [("staff", _("A staff member")), ("external", _("A group member not on the staff list"))]

    subject_kind = forms.ChoiceField(label=_("Who is reported?"), choices=SUBJECT_KINDS, initial="staff",
                                     widget=forms.RadioSelect(attrs=CHECK))
    subject_staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False,
                                           empty_label=_("— choose a name —"))
    subject_name = forms.CharField(label=_("Name as shown in the group"), max_length=200, required=False)
    subject_phone = forms.CharField(label=_("Their number (optional)"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    channel = forms.ModelChoiceField(label=_("Where"), queryset=None, required=False,
                                     empty_label=_("— another place (describe below) —"))
    place_note = forms.CharField(label=_("Other place"), max_length=200, required=False,
                                 help_text=_("Only if it is not one of the registered groups or accounts, "
                                             "e.g. a personal Facebook account."))
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    occurred_time = forms.TimeField(label=_("Time (optional)"), required=False,
                                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    rules = forms.ModelMultipleChoiceField(label=_("Rules broken"), queryset=None,
                                           widget=forms.CheckboxSelectMultiple(attrs=CHECK))
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Describe the post or message in your own words. Do not copy "
                                              "other people's personal data that is not needed."))
    evidence = MultipleFileField(label=_("Evidence (screenshots or PDF)"), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[(ReportSource.HUMAS.value, ReportSource.HUMAS.label),
                                                           (ReportSource.STAFF.value, ReportSource.STAFF.label)],
                               required=False)
    on_behalf_of = forms.ModelChoiceField(label=_("Reported to you by (optional)"), queryset=None, required=False,
                                          empty_label=_("— nobody, I found it myself —"))

    def __init__(self, *args, institution, humas: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        staff = selectors.current_staff(institution)
        self.fields["subject_staff"].queryset = staff
        self.fields["subject_staff"].label_from_instance = (
            lambda s: f"{s.full_name} — {s.position}" if s.position else s.full_name)
        self.fields["channel"].queryset = Channel.objects.filter(institution=institution, is_active=True).order_by("name")
        # The rules are those of the version in force on the day typed (an older one, for a violation
        # before the current version was published); a fresh form offers the current version's.
        moment = self._typed_moment()
        self.code_version = selectors.code_for_citing(institution, moment)
        self.current_code = selectors.current_code(institution)
        self.fields["rules"].queryset = selectors.citable_rules(institution, at=moment)
        if self.code_version is not None and self.code_version != self.current_code:
            self.fields["rules"].error_messages["invalid_choice"] = _(
                "On the day of the violation version %(number)s of the code of conduct was in force, so only its "
                "rules can be cited. Choose the rules that were broken from that version.") % {
                "number": self.code_version.number}
        self.fields["rules"].label_from_instance = lambda r: f"{r.number}. {r.text}"
        self.fields["evidence"].help_text = _("JPEG, PNG, WebP or PDF, at most %(size)d MB each.") % {
            "size": max_evidence_bytes() // (1024 * 1024)}
        self.fields["occurred_on"].initial = institution.local_today()
        groups = [c for c in self.fields["channel"].queryset if c.is_group and c.is_official]
        if len(groups) == 1:
            self.fields["channel"].initial = groups[0].pk
        if humas:
            self.fields["on_behalf_of"].queryset = staff
            self.fields["source"].initial = ReportSource.HUMAS
        else:
            del self.fields["source"]
            del self.fields["on_behalf_of"]

    @property
    def older_code(self) -> bool:
        """The violation happened while an older version than the current one was in force."""
        return self.code_version is not None and self.code_version != self.current_code

    def _typed_moment(self) -> datetime.datetime | None:
        """The time of the violation as typed (noon when no time is given), or None."""
        if not self.is_bound:
            return None
        try:
            day = self.fields["occurred_on"].clean(self.data.get(self.add_prefix("occurred_on")))
            time = self.fields["occurred_time"].clean(self.data.get(self.add_prefix("occurred_time")))
        except ValidationError:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(12, 0)),
                                   self.institution.tzinfo)

    def clean(self):
        data = super().clean()
        if data.get("subject_kind") == "staff" and not data.get("subject_staff"):
            self.add_error("subject_staff", _("Choose the staff member who is reported."))
        if data.get("subject_kind") == "external" and not (data.get("subject_name") or "").strip():
            self.add_error("subject_name", _("Type the name of the group member who is reported."))
        day = data.get("occurred_on")
        if day:
            moment = datetime.datetime.combine(day, data.get("occurred_time") or datetime.time(12, 0))
            data["occurred_at"] = timezone.make_aware(moment, self.institution.tzinfo)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        staff = data.get("subject_kind") == "staff"
        return {
            "subject_staff": data.get("subject_staff") if staff else None,
            "subject_name": "" if staff else data.get("subject_name", ""),
            "subject_phone": "" if staff else data.get("subject_phone", ""),
            "channel": data.get("channel"), "place_note": data.get("place_note", ""),
            "occurred_at": data["occurred_at"], "rule_ids": [r.pk for r in data["rules"]],
            "description": data["description"],
            "source": data.get("source") or ReportSource.STAFF,
            "on_behalf_of": data.get("on_behalf_of"),
        }


class QueueFilterForm(forms.Form):
    """The queue's filters, all read from the query string (a filtered queue can be bookmarked)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or what happened")}),
                        help_text=_("Words from the report or the name of the person reported, or a report number."))
    occurred_from = forms.DateField(label=_("Happened from"), required=False, widget=DATE,
                                    error_messages={"invalid": _("Enter the date as dd/mm/yyyy, e.g. 05/05/2025.")})
    occurred_to = forms.DateField(label=_("Happened until"), required=False, widget=DATE,
                                  error_messages={"invalid": _("Enter the date as dd/mm/yyyy, e.g. 05/05/2025.")})
    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.TypedChoiceField(label=_("Where"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(label=_("Assigned to"), required=False, coerce=int, empty_value=None)
    priority = forms.BooleanField(label=_("Priority only"), required=False)
    referral = forms.ChoiceField(label=_("Referral"), required=False, choices=[
        ("", _("All")), ("waiting", _("Awaiting outcome")), ("overdue", _("Outcome overdue"))])

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        from governance.models import RuleCategory

        from .models import ReportState

        self.fields["state"].choices = [("", _("All")), ("open", _("Open (submitted or in review)")), *ReportState.choices]
        self.fields["category"].choices = [("", _("All")), *RuleCategory.choices]
        self.fields["channel"].choices = [("", _("All")), *[(c.pk, c.name) for c in
                                          Channel.objects.filter(institution=institution).order_by("name")]]
        self.fields["assignee"].choices = [("", _("Anyone")), (0, _("Nobody yet")),
                                           *[(u.pk, str(u)) for u in selectors.triage_colleagues(institution)]]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        data = super().clean()
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and start > end:
            self.add_error("occurred_to", _("The end of the date range must not be before its start."))
        return data

    def filters(self) -> selectors.QueueFilters:
        """The filters that were typed correctly (a wrong one is shown on the form and not applied)."""
        data = self.cleaned_data if self.is_bound else {}
        return selectors.QueueFilters(
            text=data.get("q") or "", occurred_from=data.get("occurred_from"), occurred_to=data.get("occurred_to"),
            state=data.get("state") or "", category=data.get("category") or "", channel=data.get("channel"),
            assignee=data.get("assignee"), priority=bool(data.get("priority")), referral=data.get("referral") or "")


class CaseNumbersField(forms.TypedMultipleChoiceField):
    """Report numbers ticked on the queue page (which of them may be handled is the service's answer)."""

    def valid_value(self, value):
        return str(value).isdigit() and len(str(value)) < 12


class BulkActionForm(forms.Form):
    """Several cases of the queue at once: each still goes through its own single-case service."""

    MAX_CASES = 100

    action = forms.ChoiceField(label=_("With the selected reports"), choices=[
        ("", _("Choose an action")), ("assign", _("Assign to a colleague")), ("start_review", _("Start the review"))])
    assignee = forms.TypedChoiceField(label=_("Colleague"), required=False, coerce=int, empty_value=None)
    cases = CaseNumbersField(coerce=int, required=True, error_messages={
        "required": _("Select at least one report first."),
        "invalid_choice": _("One of the selected reports is not a report number.")})
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].error_messages["required"] = _("Choose what to do with the selected reports.")
        self.fields["assignee"].choices = [("", _("Choose a colleague")),
                                           *[(u.pk, str(u)) for u in selectors.triage_colleagues(institution)]]
        self.colleagues = {u.pk: u for u in selectors.triage_colleagues(institution)}

    def clean_cases(self):
        cases = list(dict.fromkeys(self.cleaned_data["cases"]))
        if len(cases) > self.MAX_CASES:
            raise ValidationError(_("Select at most %(n)d reports at a time.") % {"n": self.MAX_CASES})
        return cases

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose the colleague to assign the reports to."))
        return data

    def assignee_user(self):
        return self.colleagues.get(self.cleaned_data.get("assignee"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class TriageDecisionForm(ReasonForm):
    field_order = ["outcome", "reason"]
    outcome = forms.ChoiceField(label=_("Decision"), choices=[("confirm", _("Confirm: it is a violation")),
                                                              ("dismiss", _("Dismiss: not a violation"))],
                                widget=forms.RadioSelect(attrs=CHECK))


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, *args, institution, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The case page does not offer the person reported as its handler (the service refuses them too).
        subject = selectors.subject_user(report) if report is not None else None
        self.fields["assignee"].choices = [(u.pk, str(u)) for u in selectors.triage_colleagues(institution)
                                           if subject is None or u.pk != subject.pk]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Seen only by the people who handle cases."))


class EvidenceForm(forms.Form):
    evidence = MultipleFileField(label=_("Add evidence"))


class ExplanationForm(forms.Form):
    """The person's own explanation (klarifikasi)."""

    text = forms.CharField(label=_("Your explanation"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
                           help_text=_("What happened, from your side. The people who decide read it before deciding."))
    file = forms.FileField(label=_("A screenshot or PDF (optional)"), required=False)


class ExplanationRecordForm(forms.Form):
    """Public relations records what the person said, or why they are not heard."""

    how = forms.ChoiceField(label=_("Given"), choices=[("oral", _("Orally")), ("paper", _("On paper"))],
                            widget=forms.RadioSelect(attrs=CHECK), initial="oral")
    text = forms.CharField(label=_("What the person said"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    file = forms.FileField(label=_("The signed statement (optional)"), required=False)


class ExplanationSkipForm(forms.Form):
    reason = forms.CharField(label=_("Why the person is not heard"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000, help_text=_("For example: unreachable since the report, or refused."))


class ProposeForm(forms.Form):
    level = forms.ModelChoiceField(label=_("Level"), queryset=None, empty_label=None, widget=forms.RadioSelect(attrs=CHECK))
    reason = forms.CharField(label=_("Why another level than the one proposed"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required only when you choose another level than the ladder proposes."))
    note = forms.CharField(label=_("Note for the head (optional)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        self.fields["level"].label_from_instance = lambda level: f"{level.code} — {level.name}"


class DecisionForm(ReasonForm):
    field_order = ["decision", "reason"]
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))],
                                 widget=forms.RadioSelect(attrs=CHECK))


class ObjectionDecisionForm(ReasonForm):
    field_order = ["decision", "reason"]
    decision = forms.ChoiceField(label=_("Decision"),
                                 choices=[("uphold", _("Uphold: void the measure and its letter")),
                                          ("reject", _("Reject: the measure stays in force"))],
                                 widget=forms.RadioSelect(attrs=CHECK))


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("Delivered"), choices=[c for c in DeliveryMethod.choices
                                                                 if c[0] != DeliveryMethod.PORTAL])
    delivered_on = forms.DateField(label=_("On"), widget=DATE)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Grounds of the objection"), widget=forms.Textarea(attrs={"rows": 4}))


class AppealForm(forms.Form):
    text = forms.CharField(label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 4}))


class RemovalConfirmForm(forms.Form):
    carried_out_on = forms.DateField(label=_("Removed from the group on"), widget=DATE)


class ReferralForm(forms.Form):
    track = forms.ChoiceField(label=_("Process"), choices=ReferralTrack.choices)
    referred_to = forms.CharField(label=_("Referred to"), max_length=200,
                                  help_text=_("The competent official or council, e.g. the head of the regional office."))
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE)
    due_on = forms.DateField(label=_("Outcome expected by (optional)"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferralOutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("As the competent official decided it, with the decision letter's number."))
    outcome_on = forms.DateField(label=_("Date of the outcome"), widget=DATE)


class LadderPolicyForm(forms.Form):
    referral_only = forms.BooleanField(
        label=_("Referral only: confirmed cases go to the formal process, not up the group ladder"), required=False,
        help_text=_("For example a Rutan or Lapas, where violations are dealt with under the Pemasyarakatan code of "
                    "ethics."))
    referral_track = forms.ChoiceField(label=_("Process"), choices=ReferralTrack.choices, initial="ethics")
    referral_to = forms.CharField(label=_("Referred to"), max_length=200, required=False,
                                  help_text=_("The competent official or council, e.g. the head of the regional office."))
    referral_working_days = forms.IntegerField(label=_("Outcome expected within (working days)"), min_value=1,
                                               max_value=120, initial=20)
    remind_after_working_days = forms.IntegerField(
        label=_("Remind the decider after (working days)"), min_value=1, max_value=30, initial=5,
        help_text=_("A decision waiting longer reminds its decider; after twice as long the parent institution's head "
                    "sees it on the oversight list."))
    hearing_working_days = forms.IntegerField(
        label=_("Time to explain (working days)"), min_value=1, max_value=14, initial=3,
        help_text=_("Once a report is confirmed, the person reported is invited to explain within this many working "
                    "days; no measure is decided before."))
    removal_working_days = forms.IntegerField(
        label=_("Removal from the group within (working days)"), min_value=1, max_value=14, initial=3,
        help_text=_("When a removal is decided, the group's admins have this many working days to carry it out and "
                    "confirm it; after that it is reminded as overdue."))
    informal = forms.TypedMultipleChoiceField(
        label=_("Rungs that also apply to informal channels"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK),
        help_text=_("Informal: a group the institution does not administer, a group without a registered admin, or "
                    "a personal account."))

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["informal"].choices = [(level.position, f"{level.code} — {level.name}") for level in levels]


class LadderForm(forms.Form):
    preset = forms.ChoiceField(label=_("Ladder"), choices=[(key, spec["name"]) for key, spec in PRESETS.items()],
                               widget=forms.RadioSelect(attrs=CHECK))
    months = forms.IntegerField(label=_("Each level stays active for (months)"), min_value=1, max_value=24, initial=6)


class LadderLevelForm(forms.Form):
    """One rung of the head's own ladder; an empty row is left out."""

    code = forms.CharField(label=_("Short name"), max_length=20, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "SP1"}))
    name = forms.CharField(label=_("Full name"), max_length=120, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "Surat Peringatan Pertama"}))
    # Checked by services.ladder_save, which names the rung it refuses.
    kind = forms.ChoiceField(label=_("What it does"), choices=LevelKind.choices, initial=LevelKind.LETTER,
                             required=False)
    active_months = forms.IntegerField(label=_("Active for (months)"), initial=6, required=False,
                                       widget=forms.NumberInput(attrs={"min": 1, "max": 24, "inputmode": "numeric"}))
    informal = forms.BooleanField(label=_("Also in informal channels"), required=False,
                                  widget=forms.CheckboxInput(attrs=CHECK))


LadderLevelFormSet = forms.formset_factory(LadderLevelForm, extra=0, max_num=6, absolute_max=6)


class LadderChangeForm(forms.Form):
    change_note = forms.CharField(label=_("What changed and why"), max_length=300,
                                  help_text=_("Shown in the ladder's history, e.g. “SP2 now stays active for 12 "
                                              "months, as agreed in the staff meeting of 3 March”."))


class LadderProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", _("Accept as the next version")),
                                                              ("reject", _("Reject"))],
                                 widget=forms.RadioSelect(attrs=CHECK))
    # Required to reject (the service says so, and the proposer reads it); optional to accept.
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RetentionPolicyForm(forms.Form):
    case_years = forms.IntegerField(label=_("Keep closed cases for (years)"))
    export_days = forms.IntegerField(label=_("Keep finished exports for (days)"))

    def __init__(self, *args, case_bounds, export_bounds, **kwargs):
        super().__init__(*args, **kwargs)
        for name, bounds in (("case_years", case_bounds), ("export_days", export_bounds)):
            field = self.fields[name]
            field.min_value, field.max_value = bounds.minimum, bounds.maximum
            field.validators += [MinValueValidator(bounds.minimum), MaxValueValidator(bounds.maximum)]
            field.widget.attrs.update({"min": bounds.minimum, "max": bounds.maximum, "inputmode": "numeric"})
        self.fields["case_years"].help_text = _(
            "Counted from the day the case closed: dismissed, or every measure ended and nothing pending. "
            "Between %(min)d and %(max)d years.") % {"min": case_bounds.minimum, "max": case_bounds.maximum}
        self.fields["export_days"].help_text = _("Between %(min)d and %(max)d days.") % {
            "min": export_bounds.minimum, "max": export_bounds.maximum}


class LegalHoldForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the hold"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example a court case or an inspection that needs the file."))
