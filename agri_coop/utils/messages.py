"""Error messages that every user can read in Chinese and English.

Co-op accountants and village staff read Chinese; auditors and the platform's
technical partner often read English. A validation error therefore carries both,
whatever the user's desk language is.
"""

import frappe
from frappe import _


class Msg(str):
	"""An English message or label (with optional str.format arguments), kept untranslated
	until it is shown; str(msg) is the English text. `context` (a DocType) picks that
	DocType's word where zh.csv has one: Msg("Open", context="Purchase Campaign") is 接单中."""

	def __new__(cls, template: str, *args, context: str | None = None):
		msg = super().__new__(cls, template.format(*[str(a) for a in args]) if args else template)
		msg.template, msg.args, msg.context = template, args, context
		return msg

	def render(self, lang: str | None) -> str:
		return _render(self.template, lang, self.args, {}, self.context)


def _render(message: str, lang: str | None, args, kwargs, context: str | None = None) -> str:
	def tr(value):
		return value.render(lang) if isinstance(value, Msg) else value

	template = _(message, lang=lang, context=context) if lang else message
	return template.format(*[tr(a) for a in args], **{k: tr(v) for k, v in kwargs.items()})


def bilingual(message: str, *args, **kwargs) -> str:
	"""Return 'zh / en' for an English source message with str.format placeholders.

	`message` is a literal registered in translations/zh.csv; the translation test
	checks that every message passed here has a zh entry.
	"""
	zh = _render(message, "zh", args, kwargs)
	en = _render(message, None, args, kwargs)
	return en if zh == en else f"{zh} / {en}"


def throw(message: str, *args, exc=frappe.ValidationError, **kwargs):
	frappe.throw(bilingual(message, *args, **kwargs), exc=exc, title=bilingual("Not allowed"))
