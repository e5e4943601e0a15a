"""Pre-fill the calendar with every officially announced year."""

import chinese_calendar
from django.db import migrations


# The calendar package names festivals in English; the hall shows Chinese.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def load(apps, schema_editor):
    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    years = sorted({d.year for d in chinese_calendar.holidays})
    for year in years:
        if CalendarYear.objects.filter(year=year).exists():
            continue
        days = [
            CalendarDay(date=d, is_workday=False, name=FESTIVAL_NAMES.get(n, n or ""))
            for d, n in chinese_calendar.holidays.items()
            if d.year == year
        ] + [
            CalendarDay(date=d, is_workday=True, name=FESTIVAL_NAMES.get(n, n or ""))
            for d, n in chinese_calendar.workdays.items()
            if d.year == year
        ]
        CalendarDay.objects.bulk_create(days)
        CalendarYear.objects.create(year=year, source="official")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
