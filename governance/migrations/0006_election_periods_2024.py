"""The two 2024 elections, shipped as data. Later periods are entered by platform operators in the
Django admin.

Pemilu 2024 (president and legislatures): campaign 28 Nov 2023 – 10 Feb 2024, quiet period
11–13 Feb, voting 14 Feb 2024. Pilkada 2024 (simultaneous regional heads): campaign 25 Sep –
23 Nov 2024, quiet period 24–26 Nov, voting 27 Nov 2024. Every province and regency/city held at
least one of the regional contests that day, so both are national in coverage.
"""

import datetime

from django.db import migrations

D = datetime.date
PERIODS = [
    {
        "name": "Pemilu 2024", "kind": "pemilu", "coverage": "national",
        "campaign_starts_on": D(2023, 11, 28), "campaign_ends_on": D(2024, 2, 10),
        "quiet_starts_on": D(2024, 2, 11), "quiet_ends_on": D(2024, 2, 13), "voting_day": D(2024, 2, 14),
        "campaign_terms": "coblos\nnomor urut\npaslon\ncapres\ncawapres\ncaleg\nkampanye\npilih nomor",
    },
    {
        "name": "Pilkada Serentak 2024", "kind": "pilkada", "coverage": "national",
        "campaign_starts_on": D(2024, 9, 25), "campaign_ends_on": D(2024, 11, 23),
        "quiet_starts_on": D(2024, 11, 24), "quiet_ends_on": D(2024, 11, 26), "voting_day": D(2024, 11, 27),
        "campaign_terms": "coblos\nnomor urut\npaslon\ncabup\ncawabup\ncagub\ncawagub\ncawalkot\nkampanye",
    },
]


def add_periods(apps, schema_editor):
    ElectionPeriod = apps.get_model("governance", "ElectionPeriod")
    for fields in PERIODS:
        ElectionPeriod.objects.get_or_create(name=fields["name"], voting_day=fields["voting_day"], defaults=fields)


def remove_periods(apps, schema_editor):
    ElectionPeriod = apps.get_model("governance", "ElectionPeriod")
    ElectionPeriod.objects.filter(name__in=[p["name"] for p in PERIODS], reminders__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_link_key_and_lineage_constraints")]
    operations = [migrations.RunPython(add_periods, remove_periods)]
