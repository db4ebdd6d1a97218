from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The domain-free kernel: clocks and the calendar, text, regions, storage, errors, the change log,
    background dispatch and schedules. It imports no other wangjian app (``pyproject.toml``'s contract)."""

    name = "wangjian.core"
    label = "core"
    verbose_name = _("基础")
