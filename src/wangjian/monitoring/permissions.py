"""Monitoring's rows of the permission table (``org.permissions``), registered in ``MonitoringConfig.ready``."""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import OFFICE, Action

FINDINGS_REVIEW = "monitoring.findings.review"
# A library file brings regular expressions that run on every page swept: the office and the
# department heads who refine their departments' libraries with it (旌德 mechanism 二(三)) bring one in.
LIBRARY_IMPORT = "monitoring.library.import"
# A platform's listing feed (平台报送商品信息) scanned into findings: the staff who import the platforms'
# seller lists (registry.import) and review the findings — the office, department heads and officers.
FEED_SCAN = "monitoring.feeds.scan"

ACTIONS = (
    Action(
        LIBRARY_IMPORT,
        "导入规则库文件（成为草稿版本）",
        "import a rule library file (as a draft version)",
        OFFICE | {Role.DEPARTMENT_HEAD},
    ),
    Action(
        FINDINGS_REVIEW,
        "审核监测发现和亮照核验结果（确认、排除、转为线索）",
        "review findings and licence checks (confirm, dismiss, make a clue)",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER},
    ),
    Action(
        FEED_SCAN,
        "扫描平台报送的商品信息（上传文件或网址，生成监测发现）",
        "scan a platform's listing feed (a file or a URL) into findings",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER},
    ),
)
