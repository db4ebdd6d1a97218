"""Django's JSON serialisation with every microsecond kept, for the JSON format of a backup.

Django's encoder cuts times to milliseconds (ECMA-262's date format). The evidence ledger signs
and chains its entries' times to the microsecond, so a cut time is a different entry: a backup
must give back the time it took. ``loaddata`` reads the result with Django's own JSON reader.
"""

from __future__ import annotations

import datetime as dt

from django.core.serializers import json as django_json

NAME = "wangjian-exact-json"


class ExactEncoder(django_json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time) and o.tzinfo is None:
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = django_json.Deserializer
