"""The clocks and work-item kinds of 协查 and 内部协作, registered in ``AssistConfig.ready``.

- ``assist.reply``: the receiving bureau completes the requested work within 15 working days of receiving the
  协助调查函 (《市场监督管理行政处罚程序规定》, the article on 协助调查 — its number and wording are **not verified**
  here: the search of the stored sources found no text of it; the codebase elsewhere cites art. 14 for 指定管辖).
  Needing more time, it tells the requester: an extension recorded on the work item (``ClockExtension``).
- ``assist.reply_agreed``: the period a cooperation agreement (协作协议) sets instead, per partner bureau. The
  receiving bureau's office records it as a setting of this clock with the partner's division code as the
  variant; without one the statutory clock runs.
- ``assist.internal``: the bureau's own work rule for its network unit to answer a department's request
  (default 3 working days; 《云南省工商局关于推进网络市场线上线下一体化协同监管的实施意见》(2017) 三(一)1、3 set the
  cooperation, no period).
"""

from __future__ import annotations

from wangjian.core.clocks import Unit
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import ClockKind, Lock

REPLY = "assist.reply"
REPLY_AGREED = "assist.reply_agreed"
INTERNAL = "assist.internal"
REPLY_CLOCKS = (REPLY, REPLY_AGREED)

PROC = "《市场监督管理行政处罚程序规定》（总局令第2号，2021年、2022年修正）"
REPLY_BASIS = (
    f"{PROC}关于协助调查的条款（条款序号须核实）：收到协助调查函的市场监督管理部门对属于本部门职权范围的协助事项"
    "应当予以协助，自收到协助调查函之日起十五个工作日内完成相关工作；需要延期完成的，应当及时告知提出协查请求的"
    "市场监督管理部门（原文措辞须核实）"
)
EXTENSION_BASIS = (
    "需要延期完成的，应当及时告知提出协查请求的部门（须核实）；规定未设延长上限，本系统每件协查累计延长不超过"
    "三十个工作日，更长的由双方另行商定"
)
AGREED_BASIS = (
    "协作协议约定：收到协助调查函之日起{n}个工作日内完成协查（未约定的适用" + PROC + "十五个工作日）"
)
INTERNAL_BASIS = (
    "本局工作规则：网络市场监管机构收到业务科室的网上检查、电子数据取证请求后{n}个工作日内办结"
    "（《云南省工商局关于推进网络市场线上线下一体化协同监管的实施意见》（2017）三(一)1、3：业务主管机构需要延伸到"
    "网上检查的，提交网络市场监管机构组织开展；网络市场监管机构提供电子数据证据提取、分析和证据固定等技术支持。"
    "该意见未定期限，期限由本局办公室在“内部协作设置”中设定）"
)

KINDS = (
    ClockKind(
        REPLY,
        "完成协查（协助调查函）",
        15,
        Unit.WORKING_DAYS,
        REPLY_BASIS,
        Lock.STATUTORY,
        "收到协助调查函",
        max_extension=30,
        extension_basis=EXTENSION_BASIS,
    ),
    ClockKind(
        REPLY_AGREED,
        "完成协查（协作协议约定的期限）",
        15,
        Unit.WORKING_DAYS,
        AGREED_BASIS,
        Lock.WORK_RULE,
        "收到协助调查函",
    ),
    ClockKind(
        INTERNAL,
        "办结内部协作请求（本局工作规则）",
        3,
        Unit.WORKING_DAYS,
        INTERNAL_BASIS,
        Lock.WORK_RULE,
        "收到请求",
    ),
)


def register() -> None:
    for kind in KINDS:
        catalogue.register(kind)
