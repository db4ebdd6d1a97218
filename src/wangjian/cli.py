"""The ``wangjian`` console command: Django management under a name a bureau's operator knows.

``wangjian init``, ``wangjian serve``, ``wangjian demo``, ``wangjian createuser``,
``wangjian workdays …`` and every other management command are reachable here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "wangjian"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
