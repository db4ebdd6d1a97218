"""The daily marking of the end of the check period: each plan whose ``check_end`` has passed opens its
20-working-day publication item (企业公示信息抽查办法第十二条)."""

SCHEDULE = {
    "inspections-check-periods-end": {"task": "wangjian.inspections.tasks.check_periods_end", "every": 86400},
}
