"""The chi-square check of the draw's uniformity, without scipy (it is not a dependency of wangjian).

Upper-tail critical values of the chi-square distribution, from NIST/SEMATECH e-Handbook of Statistical
Methods, section 1.3.6.7.4 "Critical Values of the Chi-Square Distribution" (the table of upper-tail
values for ν = 1…100); cross-checked with scipy.stats.chi2.ppf where scipy was at hand.
"""

from __future__ import annotations

from collections.abc import Iterable

# degrees of freedom → {significance level α: critical value}
CRITICAL = {
    9: {0.01: 21.666, 0.001: 27.877},
    19: {0.01: 36.191, 0.001: 43.820},
    49: {0.01: 74.919, 0.001: 85.351},
    99: {0.01: 134.642, 0.001: 148.230},
}


def chi_square(observed: Iterable[int], expected: float) -> float:
    return sum((o - expected) ** 2 / expected for o in observed)


def uniform(observed: list[int], expected: float, alpha: float = 0.001) -> tuple[bool, float, float]:
    """(passes, statistic, critical value) for counts that should all be ``expected``."""
    df = len(observed) - 1
    critical = CRITICAL[df][alpha]
    statistic = chi_square(observed, expected)
    return statistic <= critical, statistic, critical
