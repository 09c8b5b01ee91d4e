"""Django's zh-hans formats with amounts grouped by thousands (1,643,658.88), as Chinese
finance pages and the source report write them; Django's own leave them ungrouped, so every
``intcomma`` in the Chinese UI printed 101494."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
