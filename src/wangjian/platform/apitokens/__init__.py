"""API tokens that users create and revoke themselves (个人 API 令牌).

Stored hashed (``django-rest-knox``: only a SHA-512 digest and the first eight characters are
kept; the token is shown once, when made), each with an expiry no later than
``WANGJIAN_API_TOKEN_MAX_DAYS``; at most ``WANGJIAN_API_TOKEN_LIMIT`` live at once per user.
Making and revoking one is written to the user's change log.
"""
