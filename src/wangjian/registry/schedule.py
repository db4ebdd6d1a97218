"""Periodic registry housekeeping: interrupted imports marked failed, abandoned uploads deleted."""

SCHEDULE = {
    "registry-imports-housekeeping": {
        "task": "wangjian.registry.tasks.imports_housekeeping",
        "every": 600,
    },
}
