"""Santun's default rubric for the semester Humas assessment of social-media governance.

Written in the project's own words from the practices the seed articles describe; each criterion's
guidance names the article it comes from. Assessors copy it and adapt it. The texts are translated
into the site's default language (Indonesian) when the rubric is created, because the rubric is
shared by every institution in the assessor's region.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

NAME = _("Social-media governance (Santun default)")
DESCRIPTION = _(
    "Santun's default rubric for the semester Humas assessment, written from what the institutions in the "
    "seed articles actually do. Copy it and adapt the criteria, weights and guidance to your region."
)
SCALE_MAX = 4
SCALE_LABELS = [_("Absent"), _("Poor"), _("Fair"), _("Good"), _("Very good")]

# (code, title, guidance, weight, evidence required, indicator code)
CRITERIA = [
    ("K1", _("Official accounts are active and follow a posting schedule"), _(
        "The institution keeps a list of its official accounts (WhatsApp group, Facebook page, Instagram, YouTube, "
        "website) and sets a posting target for each — how many posts a day or a week — as the acting Regent of OKU "
        "Timur asked every agency's social-media admin on 23 October 2024 (Korano OKU Timur Pos). "
        "4: every official account has a target and met it in most weeks of the semester; 2: targets exist but are "
        "often missed; 0: no schedule. Evidence: the posting schedule or the semester's post counts per account."
    ), Decimal(15), True, "posting_target"),
    ("K2", _("Posts are checked before publication"), _(
        "Before an official post goes out someone checks its source and that it is true, that nothing confidential "
        "is visible on whiteboards, slides or papers, that it is politically neutral and that the caption matches the "
        "picture (OKU Timur, 23 October 2024; KPPN Sijunjung, \"Bijak Bermedia Sosial\"). "
        "4: a written checklist is used for every post and the checks are recorded; 2: checks happen but are not "
        "recorded; 0: no check. Evidence: the checklist and a sample of recorded checks."
    ), Decimal(15), True, "checked_before_publishing"),
    ("K3", _("A social-media code of conduct is published"), _(
        "The institution has a published code of conduct for its groups and accounts — like the rules MTs Negeri 1 "
        "Muara Enim agreed in its coordination meeting of 8 August 2020, or the eight prohibitions Ditjen "
        "Pemasyarakatan set for its staff (Rutan Kudus, 6 February 2025) — and shows it where staff see it, for "
        "example in each group's description. 4: published in Santun and shared in every official group; 0: none. "
        "Evidence: the decree or the published code."
    ), Decimal(10), True, ""),
    ("K4", _("Staff have acknowledged the code"), _(
        "Measured automatically: the share of staff who had acknowledged the code version in force on the last day "
        "of the semester. An assessor may score it differently with a note, for example when the staff list was "
        "out of date."
    ), Decimal(15), False, "acknowledgement_share"),
    ("K5", _("Neutrality is kept during elections"), _(
        "During campaign and quiet periods official accounts and staff groups carry nothing that favours a "
        "candidate, and staff are reminded to stay neutral — as the head of Kemenag Banjarbaru told his staff on "
        "30 November 2020 and the acting Regent of OKU Timur told agency admins on 23 October 2024. "
        "4: reminders were given and no breach was found, or every breach was handled; 0: official accounts showed "
        "partisan content."
    ), Decimal(15), False, ""),
    ("K6", _("Violations are handled by the agreed steps"), _(
        "Reported violations are checked, decided and followed up by the institution's ladder — at MTs Negeri 1 "
        "Muara Enim two warning letters, then removal from the group (8 August 2020) — in reasonable time, and "
        "removals are carried out. Assessors see counts and durations only, never the people involved. "
        "4: every report was decided and followed up; 0: reports were left unanswered."
    ), Decimal(15), False, "open_cases_over_30_days"),
    ("K7", _("Useful public information and service (Humas and PTSP)"), _(
        "Official channels share what people need — aid, public services, the work of every unit and not only the "
        "head's (OKU Timur, 23 October 2024) — and the one-stop service desk (PTSP) answers the public. The Humas "
        "and PTSP of MTs Negeri 1 Muara Enim were assessed by the provincial Humas for semester I on 5 August 2020. "
        "4: regular, varied and useful information with answers to the public; 0: channels are silent. "
        "Evidence: links to representative posts and the PTSP service record."
    ), Decimal(10), True, ""),
    ("K8", _("Staff learn to use social media wisely"), _(
        "Staff took part in a briefing or training on social-media ethics during the semester — like the online "
        "session Ditjen Pemasyarakatan held for every regional office and unit on 6 February 2025 — or received "
        "guidance such as KPPN Sijunjung's \"Bijak Bermedia Sosial\". 4: every staff member was reached; 0: nothing "
        "was done."
    ), Decimal(5), False, ""),
]

# The Komisi Informasi's monitoring-and-evaluation categories: (label, lowest total).
BANDS = [
    (_("Informative"), Decimal(90)),
    (_("Towards informative"), Decimal(80)),
    (_("Fairly informative"), Decimal(60)),
    (_("Less informative"), Decimal(40)),
    (_("Not informative"), Decimal(0)),
]
