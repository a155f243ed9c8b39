"""Forms check the shape of input; the rules live in members.services."""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from governance.models import Institution, Role, TimeZone

from .models import GroupMembership, ImportJob, StaffMember
from .validators import PROVINCES

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Name with academic titles"), max_length=200,
                                help_text=_("As it is written, e.g. Muslim Ansori, S.Ag., M.Pd.I."))
    nip = forms.CharField(label=_("NIP"), max_length=30, required=False,
                          help_text=_("18 digits for civil servants (PNS, CPNS, PPPK). Birth date and sex are read from it."))
    status = forms.ChoiceField(label=_("Employment status"), choices=StaffMember.Status.choices)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    phone = forms.CharField(label=_("WhatsApp number"), max_length=30, required=False,
                            help_text=_("0812…, 62812… or +62812… are all fine."))
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nip"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[
        c for c in StaffMember.LeaveReason.choices if c[0] != StaffMember.LeaveReason.MOVED])
    left_on = forms.DateField(label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MoveForm(forms.Form):
    destination = forms.ModelChoiceField(label=_("Move to"), queryset=Institution.objects.none(), empty_label=None)
    moved_on = forms.DateField(label=_("Date of the move"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = Institution.objects.filter(pk__in=[d.pk for d in destinations]).order_by("name")


def role_choices(roles):
    labels = dict(Role.choices)
    return [(role, labels[role]) for role in roles]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The invitation link is sent here. It works once, for 7 days."))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)


class ActingForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Acting head"), queryset=StaffMember.objects.none(),
                                   help_text=_("A current staff member with an account."))
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a leave planned ahead: its first day. Leave empty to start today."))
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For the head's leave: the day the head is back (the acting head decides until then, the head "
                    "does not). Leave empty when the seat is empty, or for the standing acting head of a top-level "
                    "institution who decides the cases the head may not."))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffMember.objects.filter(pk__in=[s.pk for s in staff]).order_by("full_name")


class HeadInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name with academic titles"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    nip = forms.CharField(label=_("NIP"), max_length=30, required=False)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file contains"), choices=ImportJob.Kind.choices, widget=forms.RadioSelect,
                             initial=ImportJob.Kind.STAFF)
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"),
                           help_text=_("Column titles in the first row, e.g. NIP, Nama, Jabatan, Status Kepegawaian, No. HP, Email."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB. Split it into smaller files."))
        return upload

    def clean(self):
        """A file that can never be imported is refused here, so that nothing of it is stored."""
        from .imports import check_file
        from .spreadsheets import FileRefused, read_table

        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is not None and kind:
            upload.seek(0)
            try:
                check_file(read_table(upload.read()), kind)
            except FileRefused as refusal:
                self.add_error("file", refusal.message)
            finally:
                upload.seek(0)
        return cleaned


class GroupMemberForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())
    role = forms.ChoiceField(label=_("Role in the group"), choices=GroupMembership.Role.choices)
    since = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["staff"].queryset = staff


class GroupRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the group"), choices=GroupMembership.Role.choices)


class PaperAcknowledgementForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["staff"].queryset = staff


PROVINCE_CHOICES = [("", "—")] + [(code, f"{code} · {name}") for code, (name, _zone) in PROVINCES.items()]


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short address"), max_length=80, required=False,
                           help_text=_("Used in the address /instansi/…/. Leave empty to derive it from the name."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Institution.Kind.choices)
    province_code = forms.ChoiceField(label=_("Province"), choices=PROVINCE_CHOICES, required=False)
    regency_code = forms.CharField(label=_("Regency/city code (Kemendagri)"), max_length=5, required=False,
                                   help_text=_("E.g. 16.03 for Kabupaten Muara Enim."))
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TimeZone.choices)
    nsm = forms.CharField(label=_("NSM (madrasahs only)"), max_length=20, required=False,
                          help_text=_("12 digits: level (121 = MTs), status (1 = negeri), province, regency, number."))
    letter_unit_code = forms.CharField(label=_("Unit code for letter numbers"), max_length=64, required=False,
                                       help_text=_("E.g. Mts.06.03.1"))
    head_name = forms.CharField(label=_("Head of office: name"), max_length=200)
    head_email = forms.EmailField(label=_("Head of office: e-mail"))
    operator_name = forms.CharField(label=_("Operator: name"), max_length=200)
    operator_email = forms.EmailField(label=_("Operator: e-mail"))

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:80]
        return data


class InstitutionEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    letter_unit_code = forms.CharField(label=_("Unit code for letter numbers"), max_length=64, required=False)


class InstitutionMoveForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("New parent institution"), queryset=Institution.objects.none())

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Institution.objects.filter(pk__in=[c.pk for c in choices]).order_by("path")
