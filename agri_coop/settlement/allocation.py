"""Largest-remainder allocation in integer fen.

Every level of a campaign settlement (profit → returned pool, pool → federations and
villages, → towns, → villages, → the three shares, → members) splits one amount into parts
with this one function, so the parts always add up to the whole, to the fen.

The method (Hamilton's): each part first gets the whole fen below its exact quota
`total × weight / Σ weights` (computed exactly, with fractions); the fen left over (fewer
than the number of parts) go one each to the parts with the largest remainders. Ties are
broken deterministically: the larger weight first, then the key's text in ascending order,
so the same input always gives the same output, whatever the order of the dict.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

FEN_PER_YUAN = 100


def to_fen(amount) -> int:
	"""Yuan (float, Decimal, Fraction, str or int) → whole fen, half a fen rounded away from zero."""
	if isinstance(amount, Fraction):
		fen = abs(amount) * FEN_PER_YUAN + Fraction(1, 2)
		return (-1 if amount < 0 else 1) * (fen.numerator // fen.denominator)
	return int((Decimal(str(amount or 0)) * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_yuan(fen: int) -> Decimal:
	return (Decimal(int(fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def exact(value) -> Fraction:
	"""A weight as an exact fraction (floats through their shortest decimal text: 0.1 is 1/10)."""
	if isinstance(value, Fraction | int):
		return Fraction(value)
	return Fraction(Decimal(str(value)))


def allocate_fen(total_fen: int, weights: dict) -> dict:
	"""Split `total_fen` (a non-negative integer) over the keys of `weights` in proportion to
	them. Returns {key: fen}; the values add up to `total_fen` exactly. A key of weight 0 gets
	0. Raises ValueError for a negative total or weight, or a positive total and no weight."""
	if int(total_fen) != total_fen or total_fen < 0:
		raise ValueError(f"total must be a non-negative whole number of fen, not {total_fen!r}")
	total_fen = int(total_fen)
	fractions = {key: exact(weight) for key, weight in weights.items()}
	if any(weight < 0 for weight in fractions.values()):
		raise ValueError("weights must not be negative")
	weight_sum = sum(fractions.values(), Fraction(0))
	if weight_sum == 0:
		if total_fen:
			raise ValueError(f"nothing to allocate {total_fen} fen by: every weight is 0")
		return {key: 0 for key in weights}

	parts, remainders = {}, {}
	for key, weight in fractions.items():
		quota = total_fen * weight / weight_sum
		parts[key] = quota.numerator // quota.denominator
		remainders[key] = quota - parts[key]
	left = total_fen - sum(parts.values())
	order = sorted(fractions, key=lambda key: (-remainders[key], -fractions[key], str(key)))
	for key in order[:left]:
		parts[key] += 1
	return parts


def allocate(total, weights: dict) -> dict:
	"""Split `total` yuan (rounded to the fen first) in proportion to `weights`:
	{key: Decimal yuan}, adding up to the total exactly. See `allocate_fen`."""
	return {key: to_yuan(fen) for key, fen in allocate_fen(to_fen(total), weights).items()}
