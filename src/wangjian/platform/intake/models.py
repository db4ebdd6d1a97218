"""The one shape of a source's back-reference to the clue it became."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LeadSource(models.Model):
    """Mixin of every model whose rows are handed to the intake port (a finding, a licence check, a seller).

    The port answers with a clue number; the source keeps it (``clue_number``) and so is never
    handed over twice. A number, not a foreign key: the clue loop sits above the sources.
    """

    clue_number = models.CharField(_("线索编号"), max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def handed_over(self) -> bool:
        return bool(self.clue_number)

    def clue_url(self) -> str:
        """The clue's page, through the port's redirect (no query per row of a list)."""
        if not self.clue_number:
            return ""
        url = reverse("platform:lead", args=[self.clue_number])
        bureau_id = getattr(self, "bureau_id", None)
        return f"{url}?bureau={bureau_id}" if bureau_id else url
