"""The seeds' subsidy rules, one function per rule type (`RULES`), each reading its figures
from the programme (Subsidy Program) and the facts gathered for an application
(`agri_coop.subsidies.ledger.gather_facts`): nothing here is a number of the seeds.

Every rule returns an `Eligibility`: the checks it made, each with the figures it compared
and where they came from, and the amount it grants (whole fen). `tranche_schedule` turns the
granted amount into the payments the rule allows.

| seed | rule | function |
| --- | --- | --- |
| 002 §二(五) acceptance grant per organisation and part, first credit part to the seed fund | Acceptance Grant | `acceptance_grant` |
| 002 §二(六)(七) four stars, revenue ≥ threshold, next year, at most five years; co-op-run enterprise | Annual Award | `annual_award` |
| 002 §二(八) half the dividend returned the next year, at most five years | Dividend Return | `dividend_return` |
| 003 §五 advance ≥ 30 % after start, ≥ 10 % retained until 合格, centre ≤ 15 % | Project Fund | `project_fund`, `tranche_schedule` |
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from frappe.utils import flt, getdate

from agri_coop.settlement.allocation import allocate_fen, to_fen, to_yuan
from agri_coop.utils.messages import Msg, bilingual

ACCEPTANCE_GRANT = "Acceptance Grant"
ANNUAL_AWARD = "Annual Award"
DIVIDEND_RETURN = "Dividend Return"
PROJECT_FUND = "Project Fund"
INTEREST_SUBSIDY = "Interest Subsidy"

CREDIT_PART = "Credit Cooperation"
QUALIFIED = "Acceptance Passed"
PUBLIC_SERVICE_CENTRE = "Public Service Centre"
RURAL_UPWARD = "Rural Products Upward"

FULL, ADVANCE, MILESTONE, RETENTION = "Full Payment", "Advance", "Milestone", "Retention"


@dataclass
class Check:
	label: str  # what was checked (English source, shown bilingual)
	passed: bool
	detail: str  # the figures compared and their source


@dataclass
class Eligibility:
	rule: str
	amount_fen: int = 0
	checks: list[Check] = field(default_factory=list)
	notes: list[str] = field(default_factory=list)
	seed_fund: bool = False  # the credit part of a first acceptance goes to the seed fund

	@property
	def eligible(self) -> bool:
		return bool(self.checks) and all(check.passed for check in self.checks) and self.amount_fen > 0

	def check(self, label: str, passed: bool, detail: str):
		self.checks.append(Check(label, bool(passed), detail))
		return passed

	def working(self) -> str:
		"""The working, line by line: rule, each check with its figures and source, the amount."""
		lines = [f"{bilingual('Rule')}: {bilingual(self.rule)}"]
		lines += [
			f"{'✓' if check.passed else '✗'} {bilingual(check.label)}: {check.detail}"
			for check in self.checks
		]
		lines += [f"· {note}" for note in self.notes]
		lines.append(f"{bilingual('Amount')}: {to_yuan(self.amount_fen):,}")
		return "\n".join(lines)


def yuan(value) -> str:
	return f"{to_yuan(to_fen(value)):,}"


def percent_of(amount_fen: int, percent, rounding=ROUND_CEILING) -> int:
	"""`percent` % of an amount in whole fen; rounded up by default, since the seeds' shares
	are minimums ("不低于 30%", "预留 10% 以上")."""
	return int(
		(Decimal(amount_fen) * Decimal(str(flt(percent))) / 100).quantize(Decimal(1), rounding=rounding)
	)


def in_program_years(result: Eligibility, program, year) -> bool:
	return result.check(
		"Year within the programme",
		program.first_year <= (year or 0) <= program.last_year,
		f"{year} / {program.first_year}–{program.last_year} ({Msg('Subsidy Program')} {program.name})",
	)


def not_paid_before(result: Eligibility, facts, what: str) -> bool:
	paid_by = facts.get("paid_by_other_application")
	return result.check(
		"Not paid before for the same programme and year (or part)",
		not paid_by,
		bilingual("already paid by {0}", paid_by) if paid_by else f"{what}: {bilingual('nothing paid yet')}",
	)


def within_year_cap(result: Eligibility, program, facts) -> bool:
	years = sorted(facts.get("years_paid") or [])
	counted = [y for y in years if y != facts.year]
	return result.check(
		"At most the programme's number of years",
		len(counted) < (program.max_years or 0),
		f"{len(counted)} / {program.max_years} ({bilingual('years paid')}: {', '.join(map(str, counted)) or '—'})",
	)


def enterprise_conditions(result: Eligibility, program, facts):
	"""A co-op-run enterprise (社办企业): registered in the city on or after the programme's
	date, the SMC holding at least the programme's share of its paid-in capital."""
	registered = facts.get("registration_date")
	result.check(
		"Registered on or after the programme's date",
		bool(registered) and getdate(registered) >= getdate(program.registered_on_or_after),
		f"{registered or '—'} ≥ {program.registered_on_or_after} ({facts.get('registration_source')})",
	)
	result.check(
		"Registered in the city",
		bool(facts.get("registered_in_city")),
		f"{(facts.get('registered_in_city') and '✓') or '✗'} ({facts.get('registration_source')})",
	)
	share = Decimal(str(flt(facts.get("smc_share"), 2)))
	minimum = Decimal(str(flt(program.min_smc_share, 2)))
	result.check(
		"SMC holding at least the programme's share",
		share >= minimum,
		f"{share}% ≥ {minimum}% ({facts.get('registration_source')})",
	)


# -- the rules


def acceptance_grant(program, facts) -> Eligibility:
	"""Seed 002 §二(五): a township organisation that passes acceptance gets the programme's
	amount per part (production and supply / credit co-operation), once per part; the credit
	part of its first acceptance goes to the credit co-operation seed fund (种子金)."""
	result = Eligibility(ACCEPTANCE_GRANT)
	result.check(
		"Beneficiary is a town organisation",
		facts.get("is_town"),
		f"{facts.beneficiary}: {bilingual(facts.get('beneficiary_kind') or '—')}",
	)
	result.check(
		"Acceptance passed",
		facts.get("acceptance_result") == QUALIFIED,
		bilingual(facts.get("acceptance_result") or "Not Yet Accepted"),
	)
	in_program_years(result, program, facts.year)
	not_paid_before(result, facts, bilingual(facts.get("part") or "—"))
	result.amount_fen = to_fen(program.amount_per_part)
	if facts.get("part") == CREDIT_PART and not facts.get("earlier_acceptance"):
		result.seed_fund = True
		result.notes.append(bilingual("First acceptance: the credit co-operation part goes to the seed fund"))
	return result


def annual_award(program, facts) -> Eligibility:
	"""Seed 002 §二(六)(七): a town organisation rated at least the programme's stars with a
	year's revenue at or above its threshold, or a co-op-run enterprise (registration date,
	city, SMC holding) with revenue at or above the enterprise threshold, gets the award the
	next year, for at most the programme's number of years."""
	result = Eligibility(ANNUAL_AWARD)
	in_program_years(result, program, facts.year)
	if facts.get("is_enterprise"):
		enterprise_conditions(result, program, facts)
		threshold = program.enterprise_revenue_threshold
	else:
		result.check(
			"Beneficiary is a town organisation",
			facts.get("is_town"),
			f"{facts.beneficiary}: {bilingual(facts.get('beneficiary_kind') or '—')}",
		)
		result.check(
			"Star rating at least the programme's",
			(facts.get("star_rating") or 0) >= (program.min_star_rating or 0),
			f"{facts.get('star_rating') or 0} ≥ {program.min_star_rating} ({bilingual('rating document')})",
		)
		threshold = program.town_revenue_threshold
	revenue = facts.get("revenue")
	source = facts.get("revenue_source") or "—"
	if revenue is None:
		result.check("Revenue at or above the threshold", False, bilingual("no revenue figure"))
	else:
		result.check(
			"Revenue at or above the threshold",
			to_fen(revenue) >= to_fen(threshold),
			f"{yuan(revenue)} ≥ {yuan(threshold)} ({source})",
		)
	within_year_cap(result, program, facts)
	not_paid_before(result, facts, str(facts.year))
	result.amount_fen = to_fen(program.award_amount)
	result.notes.append(bilingual("Paid in the year after {0}, on the audited annual accounts", facts.year))
	return result


def dividend_return(program, facts) -> Eligibility:
	"""Seed 002 §二(八): the year after the SMC receives a dividend from a co-op-run enterprise,
	the programme's share of it is returned to the enterprise, for at most its number of years."""
	result = Eligibility(DIVIDEND_RETURN)
	in_program_years(result, program, facts.year)
	result.check(
		"Beneficiary is a co-op-run enterprise",
		facts.get("is_enterprise"),
		f"{facts.beneficiary}: {bilingual(facts.get('beneficiary_kind') or '—')}",
	)
	enterprise_conditions(result, program, facts)
	dividend = flt(facts.get("dividend"), 2)
	result.check(
		"Dividend received in the year",
		dividend > 0 and facts.get("dividend_year") == facts.year,
		f"{yuan(dividend)}, {facts.get('dividend_year') or '—'} / {facts.year} ({facts.get('dividend_source') or '—'})",
	)
	within_year_cap(result, program, facts)
	not_paid_before(result, facts, str(facts.year))
	result.amount_fen = percent_of(to_fen(dividend), program.dividend_return_percent, rounding=ROUND_HALF_UP)
	result.notes.append(f"{yuan(dividend)} × {flt(program.dividend_return_percent)}%")
	return result


def project_fund(program, facts) -> Eligibility:
	"""Seed 003 §五: a project of the published fund plan gets its planned amount, within the
	budget; the county public service centre's projects together get at most the programme's
	cap of its money; the share for rural products going up (上行) is shown against its minimum
	(a minimum of the whole plan, not of one project)."""
	result = Eligibility(PROJECT_FUND)
	in_program_years(result, program, facts.year)
	requested = to_fen(facts.get("requested_amount"))
	result.check("Amount in the fund plan", requested > 0, yuan(facts.get("requested_amount")))
	others = facts.get("assigned_fen") or 0
	budget = to_fen(program.budget)
	result.check(
		"Within the programme's budget",
		others + requested <= budget,
		f"{yuan(to_yuan(others))} + {yuan(to_yuan(requested))} ≤ {yuan(program.budget)}",
	)
	if facts.get("project_category") == PUBLIC_SERVICE_CENTRE:
		centre = (facts.get("centre_assigned_fen") or 0) + requested
		cap = percent_of(budget, program.service_centre_cap_percent, rounding=ROUND_FLOOR)
		result.check(
			"Public service centre within its cap",
			centre <= cap,
			f"{yuan(to_yuan(centre))} ≤ {flt(program.service_centre_cap_percent)}% × {yuan(program.budget)} = {yuan(to_yuan(cap))}",
		)
	upward = (facts.get("upward_assigned_fen") or 0) + (
		requested if facts.get("project_category") == RURAL_UPWARD else 0
	)
	result.notes.append(
		bilingual(
			"Rural products going up: {0} of the budget {1} (minimum {2}%)",
			yuan(to_yuan(upward)),
			yuan(program.budget),
			flt(program.upward_min_percent),
		)
	)
	not_paid_before(result, facts, str(facts.year))
	result.amount_fen = requested
	return result


def interest_subsidy(program, facts) -> Eligibility:
	"""Interest subsidies are claimed in the finance module (Interest Subsidy Claim) and paid
	from a programme of this type; there is no application of its own."""
	result = Eligibility(INTEREST_SUBSIDY)
	result.check(
		"Claimed through the finance module",
		False,
		bilingual("interest subsidies are claimed as Interest Subsidy Claims"),
	)
	return result


RULES = {
	ACCEPTANCE_GRANT: acceptance_grant,
	ANNUAL_AWARD: annual_award,
	DIVIDEND_RETURN: dividend_return,
	PROJECT_FUND: project_fund,
	INTEREST_SUBSIDY: interest_subsidy,
}


def check_eligibility(program, facts) -> Eligibility:
	return RULES[program.rule_type](program, facts)


# -- tranches


def tranche_schedule(program, amount_fen: int) -> list[dict]:
	"""The payments the rule allows, adding up to the amount to the fen.

	Project Fund (seed 003 §五): the first advance, at least the programme's advance % once
	the project has started; the retention, at least its retention %, after acceptance is
	合格; the rest in the programme's number of milestone tranches (largest remainder).
	Both minimums are rounded up to the fen, so a share never falls below them.
	Every other rule: one payment of the whole amount."""
	if program.rule_type != PROJECT_FUND:
		return [{"tranche_type": FULL, "percent": 100, "amount_fen": amount_fen}]
	advance = percent_of(amount_fen, program.advance_percent)
	retention = percent_of(amount_fen, program.retention_percent)
	if advance + retention > amount_fen:
		retention = amount_fen - advance
	rest = amount_fen - advance - retention
	count = program.milestone_count or 0
	milestones = []
	if rest and count:
		shares = allocate_fen(rest, {number: 1 for number in range(1, count + 1)})
		milestones = [shares[number] for number in range(1, count + 1)]
	elif rest:
		advance += rest  # no milestones: the advance carries the rest
	rows = [{"tranche_type": ADVANCE, "amount_fen": advance}]
	rows += [
		{"tranche_type": MILESTONE, "amount_fen": fen, "milestone": str(n)}
		for n, fen in enumerate(milestones, 1)
	]
	rows.append({"tranche_type": RETENTION, "amount_fen": retention})
	for row in rows:
		row["percent"] = flt(Decimal(row["amount_fen"]) * 100 / amount_fen, 2) if amount_fen else 0
	return [row for row in rows if row["amount_fen"] or row["tranche_type"] == ADVANCE]
