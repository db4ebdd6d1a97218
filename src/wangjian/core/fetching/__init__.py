"""How the server reads the web: one stack for sweeps, licence checks, feeds and evidence.

* ``limits`` — timeouts, size caps, redirects, user agents, and ``url_problem``: the gate every
  fetch passes before a connection is opened (the address policy belongs there);
* ``outcomes`` — one vocabulary of what went wrong, readable in Chinese and English;
* ``http`` — the polite asyncio ``Fetcher`` of sweeps, and ``record_http`` (every hop kept) for evidence;
* ``browser`` — one shared Chromium per process with readiness signals instead of fixed waits;
  ``record_page`` keeps every exchange of a page load with the screenshot and the rendered page;
* ``record`` — ``Exchange`` and ``Recorded``, what a recorded load hands to whoever stores it.
"""
