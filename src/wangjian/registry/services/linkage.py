"""Match weights from the bureau's own data (``registry.linkage``): estimating them, choosing thresholds.

``linkage_estimate`` reads the bureau's registry and reported sellers, estimates m and u without labels
(the officers' review decisions, where there are any, enter as known answers), links every seller once
to learn how the probabilities fall, and chooses the thresholds for the office's target precision. The
estimate is stored with its date and its data and replaces the one in use; ``linkage_thresholds_save``
changes the targets afterwards, with what to expect shown before saving (``linkage_thresholds_preview``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.models import Bureau
from wangjian.registry import linkage
from wangjian.registry import linkage_selectors as selectors
from wangjian.registry.linkage_models import LinkageEstimate

HISTOGRAM_STEP = 1e-4  # the probabilities kept for previews, rounded to this


def linkage_check_rights(user: Any, bureau: Bureau) -> None:
    """Refuses, in both languages, a user who may not tune the bureau's matching (the page and the API alike)."""
    if user is not None and not selectors.can_tune(user, bureau):
        raise PermissionDeniedError(
            "无权估计匹配权重或设置阈值", "not allowed to estimate the matching weights or set thresholds"
        )


def _check_targets(target_precision: float, review_precision: float) -> None:
    if not 0.5 <= target_precision < 1:
        raise ValidationFailed(
            "自动关联的目标精确率应在0.5到1之间（不含1）",
            "the target precision lies between 0.5 and 1 (not 1)",
        )
    if not 0.05 <= review_precision <= target_precision:
        raise ValidationFailed(
            "待确认区间的最低预期精确率应在0.05到自动关联目标之间",
            "the review band's expected precision lies between 0.05 and the target precision",
        )


def _histogram(probabilities: list[float]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in probabilities:
        key = f"{round(p / HISTOGRAM_STEP) * HISTOGRAM_STEP:.4f}"
        out[key] = out.get(key, 0) + 1
    return out


def _from_histogram(hist: dict[str, int]) -> list[float]:
    return [float(p) for p, n in hist.items() for _ in range(n)]


def linkage_check_data(bureau: Bureau) -> None:
    """Refuses an estimate before there is anything to estimate from (checked before a page queues one)."""
    from wangjian.registry.models import MarketEntity, SellerReport

    if (
        not MarketEntity.objects.filter(bureau_id__in=bureau.descendant_ids()).exists()
        or not SellerReport.objects.filter(bureau=bureau).exists()
    ):
        raise ValidationFailed(NO_DATA_ZH, NO_DATA_EN)


NO_DATA_ZH = "需先导入登记主体和平台报送的经营者名单，才能估计匹配权重"
NO_DATA_EN = "import the registry and a seller list before estimating the weights"


def linkage_estimate(
    *,
    bureau: Bureau,
    user: Any = None,
    target_precision: float = 0.995,
    review_precision: float = 0.80,
    seed: int = 1,
) -> LinkageEstimate:
    """Estimate the bureau's weights from its data and make them the ones in use."""
    linkage_check_rights(user, bureau)
    _check_targets(target_precision, review_precision)
    index = selectors.link_index(bureau=bureau)
    sellers, labels = selectors.seller_recs(bureau=bureau)
    if not len(index) or not sellers:
        raise ValidationFailed(NO_DATA_ZH, NO_DATA_EN)
    model = linkage.estimate(index, sellers, labels=labels, seed=seed)
    table, everything = linkage.WeightTable(model), linkage.Thresholds(auto=2.0, review=0.0)
    probabilities = [
        x.probability if x.entity_id else 0.0
        for x in linkage.link_all(model, index, sellers, everything, table)
    ]
    thresholds, expected = linkage.choose_thresholds(
        probabilities, target_precision=target_precision, review_precision=review_precision
    )
    with transaction.atomic():
        LinkageEstimate.objects.filter(bureau=bureau, active=True).update(active=False)
        return LinkageEstimate.objects.create(
            bureau=bureau,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            entities=len(index),
            sellers=len(sellers),
            pairs=model.pairs,
            labelled=model.labelled,
            params=model.to_dict(),
            target_precision=target_precision,
            review_precision=review_precision,
            auto_threshold=thresholds.auto,
            review_threshold=thresholds.review,
            expected={**expected, "histogram": _histogram(probabilities)},
        )


def linkage_thresholds_preview(
    *, estimate: LinkageEstimate, target_precision: float, review_precision: float
) -> tuple[linkage.Thresholds, dict[str, float]]:
    """The thresholds these targets would give, and the links and review volume to expect of them."""
    _check_targets(target_precision, review_precision)
    return linkage.choose_thresholds(
        _from_histogram(estimate.expected.get("histogram", {})),
        target_precision=target_precision,
        review_precision=review_precision,
    )


def linkage_thresholds_save(
    *, estimate: LinkageEstimate, user: Any, target_precision: float, review_precision: float
) -> LinkageEstimate:
    linkage_check_rights(user, estimate.bureau)
    thresholds, expected = linkage_thresholds_preview(
        estimate=estimate, target_precision=target_precision, review_precision=review_precision
    )
    estimate.target_precision, estimate.review_precision = target_precision, review_precision
    estimate.auto_threshold, estimate.review_threshold = thresholds.auto, thresholds.review
    estimate.expected = {**expected, "histogram": estimate.expected.get("histogram", {})}
    estimate.save()
    return estimate


def linkage_model(estimate: LinkageEstimate) -> tuple[linkage.Model, linkage.Thresholds]:
    return linkage.Model.from_dict(estimate.params), linkage.Thresholds(
        auto=estimate.auto_threshold, review=estimate.review_threshold
    )
