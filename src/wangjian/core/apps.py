from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The domain-free kernel: clocks and the calendar, text, regions, storage, errors, the change log,
    background dispatch and schedules. It imports no other wangjian app (``pyproject.toml``'s contract)."""

    name = "wangjian.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from wangjian.core.fetching.addresses import forget_policy, use_allowlist
        from wangjian.core.models import AllowedAddress

        use_allowlist(lambda: AllowedAddress.objects.values_list("network", flat=True))

        def _allowlist_setting_changed(*, setting: str, **kwargs) -> None:
            if setting == "WANGJIAN_FETCH_ALLOW":
                forget_policy()

        setting_changed.connect(_allowlist_setting_changed, weak=False)
