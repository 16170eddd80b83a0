"""Interest and the interest subsidy (贴息) from the loan ledger, exactly (fractions), for many
lines at once (two queries, whatever the number of lines).

Conventions (stated on the claim and in the README):
- interest accrues on each day's closing principal: a disbursement counts from its own day,
  a repayment stops the repaid part's interest from its own day;
- day count actual/360 by default (the bank's setting: actual/360 or actual/365); every
  calendar day counts, 29 February too;
- all principal of a line paid campaign purchases (a Loan Disbursement exists only for a
  campaign order line on credit: agri_coop.finance.closed_loop);
- each disbursement is a tranche due `term_months` after its day; repayments pay the oldest
  tranche first; the subsidy counts a tranche's principal-days only while the line is within
  its validity and the tranche is not overdue by more than the programme's grace days;
- subsidy = subsidised principal-days × subsidised share × subsidised annual rate / basis.
A claim's totals are rounded to the fen once and split over its lines by largest remainder
(agri_coop.settlement.allocation), so the lines add up to the totals exactly.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_months, flt, getdate

from agri_coop.settlement.allocation import allocate_fen, exact, to_fen, to_yuan

BASIS = {"Actual/360": 360, "Actual/365": 365}
ONE_DAY = timedelta(days=1)


@dataclass
class Segment:
	start: date
	end: date | None  # None: still outstanding
	balance: Fraction
	due: date


@dataclass
class LineFigures:
	principal_days: Fraction = Fraction(0)
	subsidised_principal_days: Fraction = Fraction(0)
	interest: Fraction = Fraction(0)
	subsidy: Fraction = Fraction(0)
	segments: list = field(default_factory=list)


def ledger_events(names, upto: date | None = None) -> dict[str, list]:
	"""{credit line: [(day, order, amount)]}: submitted disbursements (+) and repayments of
	principal (−), in day order, a day's disbursements before its repayments."""
	events = {name: [] for name in names}
	if not names:
		return events
	Disbursement, Repayment = DocType("Loan Disbursement"), DocType("Loan Repayment")
	for table, amount, order, sign in (
		(Disbursement, Disbursement.amount, 0, 1),
		(Repayment, Repayment.principal_amount, 1, -1),
	):
		query = (
			frappe.qb.from_(table)
			.select(table.credit_line, table.posting_date, amount)
			.where(table.credit_line.isin(list(names)) & (table.docstatus == 1) & (Coalesce(amount, 0) > 0))
		)
		if upto:
			query = query.where(table.posting_date <= upto)
		for line, day, value in query.run():
			events[line].append((getdate(day), order, sign * exact(flt(value, 2))))
	for rows in events.values():
		rows.sort(key=lambda row: (row[0], row[1]))
	return events


def balance_on(credit_line: str, day: date | None) -> float:
	"""Outstanding principal at the end of `day` (None: now)."""
	return float(
		sum((amount for _d, _o, amount in ledger_events([credit_line], day)[credit_line]), Fraction(0))
	)


def tranche_segments(events, term_months: int) -> list[Segment]:
	"""Each tranche's balance as constant segments; repayments go to the oldest tranche first."""
	open_tranches, segments = [], []
	for day, _order, amount in events:
		if amount > 0:
			open_tranches.append(Segment(day, None, amount, getdate(add_months(day, term_months or 0))))
			continue
		left = -amount
		for tranche in open_tranches:
			if left <= 0:
				break
			if tranche.balance <= 0:
				continue
			take = min(left, tranche.balance)
			if day > tranche.start:
				segments.append(Segment(tranche.start, day - ONE_DAY, tranche.balance, tranche.due))
			tranche.balance -= take
			tranche.start = day
			left -= take
	segments.extend(t for t in open_tranches if t.balance > 0)
	return segments


def overlap_days(start: date, end: date | None, window_start: date, window_end: date) -> int:
	last = min(end, window_end) if end else window_end
	first = max(start, window_start)
	return max((last - first).days + 1, 0)


def line_terms(names) -> dict:
	if not names:
		return {}
	Line = DocType("Credit Line")
	return {
		row.name: row
		for row in frappe.qb.from_(Line)
		.select(
			Line.name,
			Line.member,
			Line.member_name,
			Line.cooperative,
			Line.town,
			Line.annual_rate,
			Line.subsidy_applies,
			Line.subsidised_share,
			Line.subsidy_rate,
			Line.valid_from,
			Line.valid_to,
			Line.term_months,
		)
		.where(Line.name.isin(list(names)))
		.run(as_dict=True)
	}


def compute(
	names, start: date, end: date, day_count: str = "Actual/360", grace_days: int = 0, terms=None
) -> dict:
	"""{credit line: LineFigures} for the period [start, end], both days included."""
	start, end = getdate(start), getdate(end)
	basis = BASIS[day_count]
	terms = terms or line_terms(names)
	events = ledger_events(list(terms), end)
	grace = timedelta(days=int(grace_days or 0))
	result = {}
	for name, line in terms.items():
		figures = LineFigures()
		subsidised_from = max(start, getdate(line.valid_from))
		subsidised_to = min(end, getdate(line.valid_to))
		for segment in tranche_segments(events[name], line.term_months):
			figures.principal_days += segment.balance * overlap_days(segment.start, segment.end, start, end)
			if line.subsidy_applies:
				figures.subsidised_principal_days += segment.balance * overlap_days(
					segment.start, segment.end, subsidised_from, min(subsidised_to, segment.due + grace)
				)
		figures.interest = figures.principal_days * exact(line.annual_rate) / 100 / basis
		figures.subsidy = (
			figures.subsidised_principal_days
			* exact(line.subsidised_share or 0)
			/ 100
			* exact(line.subsidy_rate or 0)
			/ 100
			/ basis
		)
		result[name] = figures
	return result


def rounded_split(exact_parts: dict) -> tuple[int, dict]:
	"""The total rounded to the fen once, split over the parts by largest remainder."""
	total = to_fen(sum(exact_parts.values(), Fraction(0)))
	if not exact_parts:
		return 0, {}
	return total, allocate_fen(total, exact_parts)


def overdue_principal(names, day: date, terms=None) -> dict[str, float]:
	"""{credit line: principal of tranches past their due day on `day`}."""
	terms = terms or line_terms(names)
	events = ledger_events(list(terms), day)
	result = {}
	for name, line in terms.items():
		result[name] = float(
			sum(
				(
					s.balance
					for s in tranche_segments(events[name], line.term_months)
					if s.end is None and s.due < day
				),
				Fraction(0),
			)
		)
	return result


__all__ = ["BASIS", "balance_on", "compute", "overdue_principal", "rounded_split", "to_yuan"]
