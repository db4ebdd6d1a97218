from django import template

register = template.Library()


@register.filter
def join_if_list(value, sep="、"):
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value)
    return value
