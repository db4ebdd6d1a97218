"""The campaign's rules: planning (``plan``), periods and reminders (``periods``), the units' tables
(``tables``), the final summary, typical cases and media (``summary``), 督查 and 重点时段 (``supervision``)."""
