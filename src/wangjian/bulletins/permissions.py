"""The bulletins app's rows of the permission table, registered in ``BulletinsConfig.ready``.

Everyone reads the 通报 of the bureaus they see (they are its recipients); the office (办公室管理员 — the leading
group's office sits with it) drafts and issues its own bureau's.
"""

from __future__ import annotations

from wangjian.org.permissions import EVERY_ROLE, OFFICE, Action

BULLETIN_READ = "bulletins.read"
BULLETIN_ISSUE = "bulletins.issue"

ACTIONS = (
    Action(
        BULLETIN_READ,
        "查看和下载通报及统计表",
        "read and download the bulletins (通报) and their statistics tables",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        BULLETIN_ISSUE,
        "起草和印发网络市场监管工作通报（本局）",
        "draft and issue the monthly bulletin of online enforcement (own bureau)",
        OFFICE,
    ),
)
