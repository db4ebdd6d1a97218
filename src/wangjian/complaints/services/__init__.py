"""The rules of complaints and reports (投诉举报) — the one place they live.

One module per concern: ``transitions`` (who may take which step), ``jurisdiction`` (管辖), ``intake``
(registration, numbering, routing), ``clocks`` (the work items), ``steps`` (accept … end, report to clue,
split), ``returns`` (七日无理由退货), ``imports`` (the 12315 exports). Views, the API and commands call these.
"""
