"""The columns of a campaign's statistics table (统计表栏目).

The seeds' annex gives none, so the default set is written down here (issue 20): each column either
names a figure of the statistics registry (``platform.statistics``), computed for the unit and month,
or none, and the unit enters it. ``scale`` divides the figure (元 → 万元). 罚没款 is fines and
confiscations together (``cases_fines_and_confiscations``); 责令整改 counts the clues closed with 责令整改
and the decisions ordering a rectification (``rectifications``); 约谈 the clues closed with 行政指导/约谈
(``clues_guidance``). Listings taken down have no record yet: the unit enters them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from wangjian.core.errors import ValidationFailed

KEY_MAX = 40  # the length a table's value keeps of its column's key (UnitValue.column)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str
    figure: str = ""  # a key of the statistics registry, or "" (entered by the unit)
    scale: int = 1

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "figure": self.figure,
            "scale": self.scale,
        }

    def scaled(self, number) -> Decimal:
        return (Decimal(str(number)) / Decimal(self.scale)).quantize(Decimal("0.01"))


DEFAULT_COLUMNS = (
    Column("presences", "监测网店（网站）数", "个", "registry_presences"),
    Column("pages", "检查网页数", "页", "monitoring_pages"),
    Column("violations", "发现违法违规线索", "条", "findings"),
    Column("clues", "交办线索", "件", "clues_received"),
    Column("cases_opened", "立案", "件", "cases_opened"),
    Column("cases_closed", "结案", "件", "cases_closed"),
    Column("fines", "罚没款", "万元", "cases_fines_and_confiscations", 10000),
    Column("complaints", "受理投诉举报", "件", "complaints_received"),
    Column("recovered", "为消费者挽回经济损失", "万元", "complaints_recovered", 10000),
    Column("rectifications", "责令整改", "件", "rectifications"),
    Column("interviews", "约谈平台和经营者", "次", "clues_guidance"),
    Column("takedowns", "下架商品（信息）", "条"),
)


def default_columns() -> list[dict]:
    return [c.as_dict() for c in DEFAULT_COLUMNS]


def columns_of(campaign) -> list[Column]:
    return [
        Column(
            key=str(c["key"]),
            label=str(c["label"]),
            unit=str(c.get("unit", "")),
            figure=str(c.get("figure", "") or ""),
            scale=int(c.get("scale") or 1),
        )
        for c in (campaign.columns or default_columns())
    ]


def parse(text: str) -> list[dict]:
    """Columns from the form's lines ``标识|名称|单位|统计指标|倍数`` (the last two optional)."""
    from wangjian.platform import statistics

    out, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3 or not parts[0] or not parts[1]:
            raise ValidationFailed(
                f"统计表栏目第{number}行应为“标识|名称|单位|统计指标|倍数”",
                f"Column line {number} must read 'key|label|unit|figure|scale'",
            )
        key, label, unit = parts[:3]
        figure = parts[3] if len(parts) > 3 else ""
        scale = parts[4] if len(parts) > 4 and parts[4] else "1"
        if figure and figure not in statistics.keys():
            raise ValidationFailed(
                f"统计表栏目第{number}行：没有统计指标“{figure}”",
                f"Column line {number}: no figure {figure!r}",
            )
        if len(key) > KEY_MAX or len(label) > 100:
            raise ValidationFailed(
                f"统计表栏目第{number}行：标识不超过{KEY_MAX}个字符、名称不超过100个字符",
                f"Column line {number}: a key has at most {KEY_MAX} characters, a label at most 100",
            )
        if key in seen:
            raise ValidationFailed(f"统计表栏目标识“{key}”重复", f"Column key {key!r} is repeated")
        if not scale.isdigit() or int(scale) < 1:
            raise ValidationFailed(
                f"统计表栏目第{number}行：倍数应为正整数", f"Column line {number}: bad scale"
            )
        seen.add(key)
        out.append(Column(key, label, unit, figure, int(scale)).as_dict())
    if not out:
        raise ValidationFailed("统计表至少要有一个栏目", "The table needs at least one column")
    return out


def as_text(columns: list[dict]) -> str:
    return "\n".join(
        "|".join([c["key"], c["label"], c.get("unit", ""), c.get("figure", ""), str(c.get("scale", 1))])
        for c in columns
    )
