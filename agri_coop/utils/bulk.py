"""Multi-row inserts for imports of tens of thousands of records.

frappe.db.bulk_insert builds each statement with the query builder, which spends ~0.4 ms a
row quoting values in Python; PyMySQL's own `%s` substitution is cheaper but still walks
four generic functions per value (literal → escape → escape_item → encoder), which for
100,000 members and their Customers (about 4 million values) is most of the insert's time.
Here each value is escaped once by PyMySQL's own functions, chosen by its type:
`escape_string` for text (or quote doubling when the server runs in NO_BACKSLASH_ESCAPES
mode, as PyMySQL's substitution does), the connection's `literal` for anything else; table
and column names come from code and are checked against the table, never from input. The
statements run in a thread of their own while the next is built (execute_while_building).
"""

import contextvars
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

import frappe
from pymysql import converters
from pymysql.constants import SERVER_STATUS

# Rows per multi-row insert: enough that the statements' own cost does not count (100,000
# members: 2,000 rows a statement 6.6 s, 5,000 6.1 s, 10,000 6.3 s), a few MB a statement.
CHUNK_ROWS = 5000
# The first statement is smaller, so that the database starts working sooner.
FIRST_CHUNK_ROWS = 1000


def standard_fields(now, user: str) -> dict:
	"""The columns every record has, for a new draft record made by `user` at `now`."""
	return {"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0, "idx": 0}


def insert_rows(
	doctype: str, columns: Sequence[str], rows: Iterable[Sequence], chunk_size: int | None = None
) -> int:
	"""Insert `rows` (values in the order of `columns`) in multi-row inserts of `chunk_size`;
	a generator of rows is consumed while the chunk before it is written, so it must not
	query the database itself."""
	build = insert_statement(doctype, columns)
	return execute_while_building((len(chunk), build(chunk)) for chunk in chunks(rows, chunk_size))


def chunks(rows: Iterable, size: int | None = None):
	"""Lists of `size` rows (CHUNK_ROWS; the first FIRST_CHUNK_ROWS) taken from `rows` as needed."""
	iterator = iter(rows)
	size = size or CHUNK_ROWS
	first = min(size, FIRST_CHUNK_ROWS)
	while chunk := list(islice(iterator, first)):
		yield chunk
		first = size


def insert_statement(
	doctype: str, columns: Sequence[str], fixed: dict | None = None
) -> Callable[[Sequence[Sequence]], str]:
	"""rows -> the multi-row insert of them into `doctype`: each row's values in the order of
	`columns`, then `fixed` ({column: value}, the same in every row, escaped once). The
	columns are checked against the table now, so that building statements later needs no
	query."""
	fixed = fixed or {}
	names = [*columns, *fixed]
	table_columns = set(frappe.db.get_table_columns(doctype))
	unknown = [c for c in names if c not in table_columns]
	if unknown:
		raise frappe.ValidationError(f"{doctype} has no column(s) {unknown}")
	head = "insert into `tab{}` ({}) values ".format(doctype, ", ".join(f"`{c}`" for c in names))
	literal = value_literal()
	tail = "".join("," + literal(value) for value in fixed.values()) + ")"
	return lambda rows: head + ",".join(["(" + ",".join(map(literal, row)) + tail for row in rows])


def execute_while_building(statements: Iterable[tuple[int, str | list[str]]], written=None) -> int:
	"""Run `statements` ((row count, SQL or SQLs) pairs, built lazily by the caller's generator) in
	order, each in a thread of its own while this thread builds the next: the wait on the
	socket releases the GIL, so on two cores the Python work of the rows (checking,
	hashing, escaping) and the server's inserts overlap. While it runs only that thread
	talks to the database (the builder must not query); it sees this thread's Frappe
	context. `written(rows so far)` is called after each statement, while none runs. The
	rows written."""
	context = contextvars.copy_context()
	inserted = 0
	with ThreadPoolExecutor(max_workers=1) as database:
		running = None
		for count, sql in statements:
			if running:
				running.result()  # one at a time, in order; its error is raised here
				if written:
					written(inserted)
			running = database.submit(context.run, execute, sql)
			inserted += count
		if running:
			running.result()
			if written:
				written(inserted)
	return inserted


def execute(statements: str | list[str]):
	for sql in [statements] if isinstance(statements, str) else statements:
		frappe.db.sql(sql)


def value_literal() -> Callable[[object], str]:
	"""value → its SQL literal, escaped as this connection's PyMySQL would (whether the server
	takes backslash escapes is asked once, not per value); the literal of a date, time or
	decimal is worked out once per distinct value (an import repeats its timestamps)."""
	connection = frappe.db._conn
	if connection.server_status & SERVER_STATUS.SERVER_STATUS_NO_BACKSLASH_ESCAPES:

		def escape(text):
			return text.replace("'", "''")
	else:
		escape = converters.escape_string
	literal, known = connection.literal, {}

	def sql_literal(value) -> str:
		kind = type(value)
		if kind is str:
			return "'" + escape(value) + "'"
		if value is None:
			return "NULL"
		if kind is int:
			return str(value)
		key = (kind, value)
		text = known.get(key)
		if text is None:
			text = known[key] = literal(value)
		return text

	return sql_literal
