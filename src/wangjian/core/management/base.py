"""Shared pieces of the ``wangjian`` commands: errors print in Chinese and English and exit 2."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError


class WangjianCommand(BaseCommand):
    """Runs ``handle_command`` as the system actor (``via=cli``) and turns ``WangjianError`` into exit 2."""

    def execute(self, *args, **options):
        try:
            with acting(None, via="cli"):
                return super().execute(*args, **options)
        except WangjianError as exc:
            self.stderr.write(f"错误 / error: {exc.zh}\n{exc.en}")
            if isinstance(exc.detail, list):
                for item in exc.detail[:50]:
                    self.stderr.write(f"  {item}")
            sys.exit(2)


__all__ = ["WangjianCommand", "CommandError"]
