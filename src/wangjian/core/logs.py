"""Log files kept at least six months, rotated daily (网络安全法 art. 21: 留存相关的网络日志不少于六个月).

``settings.LOGGING`` writes the application log (``wangjian.log``) and the access log
(``access.log``) under ``WANGJIAN_LOG_DIR`` (default ``WANGJIAN_HOME/logs``) with
``DailyFileHandler``: a new file at local midnight, the day's file renamed ``access.log.2025-10-13``,
and ``WANGJIAN_LOG_KEEP_DAYS`` of them (default 190, more than six months) kept.

Several processes of one machine write the same files (the web server, workers, beat). The
standard ``TimedRotatingFileHandler`` lets each of them rotate at midnight, and the second one
deletes the file the first one just rotated: a day's log lost. Here a lock file serialises the
rollover, and a process that finds the day already rotated by another only reopens the new file.
"""

from __future__ import annotations

import logging
import os
import time
from logging.handlers import TimedRotatingFileHandler

try:
    import fcntl
except ImportError:  # not on Linux: one process per log file
    fcntl = None

# Every handler made, held: Celery empties the root logger's handlers, and these are put back.
_made: list[DailyFileHandler] = []


class DailyFileHandler(TimedRotatingFileHandler):
    """A file rotated at local midnight, ``keep_days`` days kept; safe with several writing processes."""

    def __init__(self, filename: str, keep_days: int = 190, encoding: str = "utf-8"):
        os.makedirs(os.path.dirname(os.path.abspath(filename)), exist_ok=True)
        super().__init__(filename, when="midnight", backupCount=keep_days, encoding=encoding, delay=True)
        _made.append(self)

    def doRollover(self):  # noqa: N802 (logging's name)
        if fcntl is None:
            return super().doRollover()
        with open(self.baseFilename + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not os.path.exists(self._rotation_target()):
                    return super().doRollover()
                # Another process rotated this day's file: write to the new one from now on.
                if self.stream:
                    self.stream.close()
                    self.stream = None
                now = int(time.time())
                self.rolloverAt = self.computeRollover(now)
                while self.rolloverAt <= now:
                    self.rolloverAt += self.interval
                return None
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _rotation_target(self) -> str:
        """The name the current file takes at this rollover (the day it covers), as ``doRollover`` names it."""
        t = self.rolloverAt - self.interval
        then = time.localtime(t)
        if time.localtime()[-1] != then[-1]:  # a change of daylight saving time in between
            then = time.localtime(t + (3600 if time.localtime()[-1] else -3600))
        return self.rotation_filename(self.baseFilename + "." + time.strftime(self.suffix, then))


def root_file_handlers() -> list[logging.Handler]:
    """The root logger's log files as ``settings.LOGGING`` configured them (for Celery, which drops them)."""
    from django.conf import settings

    names = set(settings.LOGGING.get("root", {}).get("handlers", ()))
    latest = {h.name: h for h in _made}  # the last configured under each name (logging was set up again)
    return [h for name, h in latest.items() if name in names]


class AtLeast(logging.Filter):
    """Let through records at ``level`` or above (a handler's level set from the configuration)."""

    def __init__(self, level: str = "WARNING"):
        super().__init__()
        self.level = logging.getLevelName(level.upper()) if isinstance(level, str) else int(level)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level
