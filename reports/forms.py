"""Forms check the shape of input only (types, lengths, required fields). Every rule about what
may change, and when, lives in ``reports.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Institution

from . import indicators
from .models import SCALE_MAX_LIMIT, AssessmentPeriod, Export, Rubric


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    semester = forms.TypedChoiceField(label=_("Semester"), choices=AssessmentPeriod.Semester.choices, coerce=int)
    rubric = forms.ModelChoiceField(label=_("Rubric"), queryset=Rubric.objects.none(), empty_label=None)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of institution"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to assess every institution below yours."),
    )
    self_assessment_deadline = forms.DateField(label=_("Self-assessment deadline"), widget=DateInput(),
                                               help_text=_("The last day on which each institution's Humas may submit."))
    scoring_deadline = forms.DateField(label=_("Scoring deadline"), widget=DateInput())
    disagreement_threshold = forms.IntegerField(
        label=_("Disagreement threshold"), min_value=0, max_value=SCALE_MAX_LIMIT, initial=1,
        help_text=_("Flag a criterion when two assessors' scores differ by more than this many points."),
    )
    publish_ranks = forms.BooleanField(label=_("Show each institution its rank among institutions of the same kind"),
                                       required=False, initial=True)

    def __init__(self, *args, rubrics, kinds, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubrics
        self.fields["kinds"].choices = kinds
        if locked:
            for name in ("year", "semester", "rubric", "kinds"):
                self.fields[name].disabled = True


class RubricForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scale_max = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=SCALE_MAX_LIMIT,
                                   help_text=_("Assessors give whole numbers from 0 to this value."))
    scale_labels = forms.CharField(
        label=_("Meaning of each score"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One line per score, starting with 0 (e.g. Absent, Poor, Fair, Good, Very good)."),
    )


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code"), max_length=10, required=False)
    title = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    guidance = forms.CharField(label=_("Guidance for Humas and assessors"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, required=False)
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)
    indicator = forms.ChoiceField(label=_("Automatic indicator"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("None — scored by the assessors"))] + indicators.choices()

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("code") or data.get("title") or data.get("weight"))


class BandForm(forms.Form):
    label = forms.CharField(label=_("Rating"), max_length=80, required=False)
    min_total = forms.DecimalField(label=_("From total"), max_digits=5, decimal_places=2, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)
BandFormSet = forms.formset_factory(BandForm, extra=1, can_delete=True)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                             help_text=_("What your institution did for this criterion during the semester."))
    links = forms.CharField(label=_("Evidence links"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            help_text=_("One web address per line: posts, a shared folder, the published code."))
    notes = forms.CharField(label=_("Notes for the assessor"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, image, Word or Excel, at most 5 MB. Do not upload case files or anything that names "
                    "reported people."),
    )


class ReviseForm(forms.Form):
    reason = forms.CharField(label=_("Why does the result need a correction?"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)


class ScoringForm(forms.Form):
    """One score and note per criterion. Choices are 0..highest score; blank leaves it unscored."""

    def __init__(self, *args, criteria, scale_max: int, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [("", _("Not scored"))] + [
            (str(n), f"{n} · {labels[n]}" if n < len(labels) and labels[n] else str(n)) for n in range(scale_max + 1)
        ]
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("Score for %(code)s") % {"code": criterion.code}, choices=choices, required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note for %(code)s") % {"code": criterion.code}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def values(self) -> dict[int, tuple[str | None, str]]:
        return {c.pk: (self.cleaned_data.get(f"score_{c.pk}") or None, self.cleaned_data.get(f"note_{c.pk}") or "")
                for c in self.criteria}


class ResultsFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, kinds, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + list(kinds)
        self.fields["region"].choices = [("", _("All regions"))] + list(regions)


class ScoringFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("", _("All institutions")), ("todo", _("Not fully scored by me")),
        ("disagreements", _("Assessors disagree")), ("not_submitted", _("Self-assessment not submitted")),
    ])
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=100)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + list(kinds)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=Export.Format.choices)
    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(Institution.Kind.choices))
    region = forms.RegexField(required=False, regex=r"^\d{2}(\.\d{2})?$")


class StatisticsForm(forms.Form):
    """The statistics page's filters, all in the URL: which institutions and which dates."""

    OWN, TREE = "own", "tree"
    scope = forms.ChoiceField(label=_("Institutions"), required=False,
                              choices=[(OWN, _("This institution")), (TREE, _("The whole subtree"))])
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, default_start, default_end, max_months: int, tree_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_start, self.default_end, self.max_months = default_start, default_end, max_months
        if not tree_allowed:
            del self.fields["scope"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start") or self.default_start, data.get("end") or self.default_end
        if start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if (end.year * 12 + end.month) - (start.year * 12 + start.month) >= self.max_months:
            raise forms.ValidationError(_("Choose at most %(months)s months.") % {"months": self.max_months})
        data["start"], data["end"] = start, end
        return data
