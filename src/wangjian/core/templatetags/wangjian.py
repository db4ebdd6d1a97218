from django import template

register = template.Library()


@register.filter
def join_if_list(value, sep="、"):
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value)
    return value


@register.filter
def region_name(code):
    """ "341825" → "安徽省宣城市旌德县" (a 9- or 12-digit code by its county); "" when the code is unknown.

    Officers read names, not GB/T 2260 codes; the code stays beside it in the template, since
    an unknown or abolished code must still be visible.
    """
    from wangjian.core.errors import WangjianError
    from wangjian.core.regions import full_name

    try:
        return full_name(code) if code else ""
    except WangjianError:  # the division list was not built: show the code alone rather than fail the page
        return ""
