"""The fast path of a ticket import: a CSV export read, checked and rolled up
column by column (Polars) instead of row by row.

It takes the common case only — a clean first import of the rows' days — and
answers None as soon as anything is unusual: an unreadable or ragged file, a
cell the row reader would reject or read differently, a key repeated in the
file, or tickets of this source already stored for those days. The row reader
then imports the whole file as before, naming every bad row, updating the
records that changed. Both paths write the same records and rollups: the
checks here are the row reader's, and the stored values come from the same
lookups and the same local-time offsets.
"""

import io

import polars as pl

from ..models import Ticket
from ..rollups import (
    HOUR_COUNTERS,
    ITEM_NAME,
    ITEM_SERVICE,
    STAFF_NUMBER,
    STAFF_PERSON,
    STATUS_COUNTERS,
    TICKET_COUNTERS,
    TICKET_DIMENSIONS,
    TicketDeltas,
    histogram_of,
)

# The date forms of `fields.parse_datetime` that have a fixed layout. A cell
# in none of them (an Excel serial, fractional seconds…) sends the file to
# the row reader, which knows every form.
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M:%S",
    "%Y年%m月%d日%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
)
TIME_FIELDS = ("taken_at", "called_at", "started_at", "finished_at")
TEXT_FIELDS = ("ticket_no", "business", "window", "staff_no", "status")
CHUNK = 50_000  # rows turned into database values at a time


class Fallback(Exception):
    """The file needs the row reader."""


def _frame(table, columns: dict) -> pl.DataFrame:
    """The mapped columns as stripped text, one row per non-blank CSV row."""
    if table.encoding in ("utf-8", "utf-8-sig"):
        source = table.path
    else:
        raw = table.path.read_bytes()
        source = io.BytesIO(raw.decode(table.encoding).encode())
        del raw
    # Read lazily: the raw text never sits in memory beside the stripped copy.
    lazy = pl.scan_csv(
        source,
        has_header=False,
        infer_schema=False,
        skip_rows=1,
        truncate_ragged_lines=False,
        raise_if_empty=False,
    )
    try:
        names = lazy.collect_schema().names()
    except (pl.exceptions.PolarsError, UnicodeError, OSError) as error:
        raise Fallback from error
    if len(names) < len(table.header):
        # Every row is shorter than the header: the row reader says what.
        raise Fallback
    picked = []
    for field in (*TEXT_FIELDS, *TIME_FIELDS):
        index = columns.get(field)
        text = (
            pl.lit(None, pl.String)
            if index is None
            else pl.col(names[index]).str.strip_chars()
        )
        # Empty cells are null from here on.
        picked.append(pl.when(text == "").then(None).otherwise(text).alias(field))
    # Rows blank in every cell are skipped, as the row reader skips them; each
    # keeps its number as the spreadsheet has it (the header is row 1).
    blank = pl.all_horizontal(pl.col(n).is_null() | (pl.col(n) == "") for n in names)
    try:
        return (
            lazy.with_row_index("row", offset=2)
            .filter(~blank)
            .select("row", *picked)
            .collect()
        )
    except (pl.exceptions.PolarsError, UnicodeError, OSError) as error:
        raise Fallback from error


def _parse(text: pl.Series, form: str) -> pl.Series:
    return text.str.strptime(pl.Datetime("us"), form, strict=False, exact=True)


def _datetimes(text: pl.Series) -> pl.Series:
    """A column of times read with the form its first cell has (exports
    write one form per column); cells in another form are read with each
    of the others in turn, only those cells."""
    sample = text.drop_nulls().head(1)
    if sample.is_empty():
        return pl.Series(text.name, [None] * len(text), pl.Datetime("us"))
    first = next(
        (f for f in DATETIME_FORMATS if _parse(sample, f).null_count() == 0),
        DATETIME_FORMATS[0],
    )
    parsed = _parse(text, first)
    missed = parsed.is_null() & text.is_not_null()
    if missed.any():
        where = missed.arg_true()
        rest = text.gather(where)
        others = [_parse(rest, f) for f in DATETIME_FORMATS if f != first]
        parsed = parsed.scatter(where, pl.select(pl.coalesce(others)).to_series())
    return parsed


def _lookup(field: str, mapping: dict, dtype) -> pl.Expr:
    return pl.col(field).replace_strict(
        list(mapping), list(mapping.values()), default=None, return_dtype=dtype
    )


KEPT = (
    "row",
    "ticket_no",
    "business",
    "staff_no",
    "status_value",
    "window_id",
    "department_id",
    "staff_id",
    "service_item_id",
    "day",
    *(f"{field}_t" for field in TIME_FIELDS),
)


def read_tickets(importer, table) -> pl.DataFrame:
    """The whole file checked and resolved (the KEPT columns), or Fallback."""
    frame = _frame(table, importer.columns)
    if frame.is_empty():
        raise Fallback
    times = {f: _datetimes(frame.get_column(f)) for f in TIME_FIELDS}
    # A cell in none of the fixed forms: the row reader knows the others.
    for field, parsed in times.items():
        if (parsed.is_null() & frame.get_column(field).is_not_null()).any():
            raise Fallback
    frame = frame.drop(TIME_FIELDS).with_columns(
        parsed.alias(f"{field}_t") for field, parsed in times.items()
    )
    del times
    statuses, windows = importer.statuses, importer.windows
    status_word = pl.col("status").fill_null("").str.to_lowercase()
    window_code = pl.col("window").fill_null("").str.to_uppercase()
    taken, called = pl.col("taken_at_t"), pl.col("called_at_t")
    started, finished = pl.col("started_at_t"), pl.col("finished_at_t")
    looked_up = pl.col("status_lookup")
    bad = (
        pl.col("ticket_no").is_null()
        | (pl.col("ticket_no").str.len_chars() > 30)
        | taken.is_null()
        | (called < taken).fill_null(False)
        | (started < taken).fill_null(False)
        | (finished < pl.coalesce(started, taken)).fill_null(False)
        | ((pl.col("status_word") != "") & looked_up.is_null())
        | ((pl.col("window_code") != "") & pl.col("window_id").is_null())
    )
    status = (
        pl.when(pl.col("status_word") == "")
        .then(pl.when(finished.is_not_null()).then(pl.lit(Ticket.Status.SERVED)))
        .otherwise(
            pl.when((looked_up == "") & finished.is_not_null())
            .then(pl.lit(Ticket.Status.SERVED))
            .otherwise(looked_up)
        )
        .fill_null("")
    )
    frame = (
        frame.lazy()
        .with_columns(
            status_word=status_word,
            window_code=window_code,
            staff_no=pl.col("staff_no").fill_null("").str.slice(0, 30),
            business=pl.col("business").fill_null("").str.slice(0, 120),
        )
        .with_columns(
            status_lookup=_lookup("status_word", statuses, pl.String),
            window_id=_lookup(
                "window_code", {k: v[0] for k, v in windows.items()}, pl.Int64
            ),
            department_id=_lookup(
                "window_code", {k: v[1] for k, v in windows.items()}, pl.Int64
            ),
            staff_id=_lookup("staff_no", importer.staff, pl.Int64),
            service_item_id=_lookup("business", importer.items, pl.Int64),
            day=taken.dt.date(),
        )
        .with_columns(bad=bad, status_value=status)
        .select(*KEPT, "bad")
        .collect()
    )
    if frame.get_column("bad").any():
        raise Fallback
    frame = frame.drop("bad")
    if frame.select(pl.struct("ticket_no", "day").is_duplicated().any()).item():
        raise Fallback
    return frame


class Offsets:
    """Each date's offset from UTC in seconds, as LocalTime looks it up, for
    the times of every column (a ticket may be finished on another day)."""

    def __init__(self, importer, frame):
        dates = set()
        for field in TIME_FIELDS:
            dates.update(frame.get_column(f"{field}_t").dt.date().drop_nulls().unique())
        self.dates = sorted(dates)
        self.seconds = [
            int(importer.time.offset(d).total_seconds()) for d in self.dates
        ]

    def of(self, field: str) -> pl.Expr:
        return (
            pl.col(f"{field}_t")
            .dt.date()
            .replace_strict(self.dates, self.seconds, return_dtype=pl.Int64)
        )

    def epoch(self, field: str) -> pl.Expr:
        return pl.col(f"{field}_t").dt.epoch("s") - self.of(field)

    def stored(self, field: str, postgres: bool) -> pl.Expr:
        """The time as the database column takes it: UTC text."""
        utc = pl.col(f"{field}_t") - pl.duration(seconds=self.of(field))
        text = utc.dt.strftime("%Y-%m-%d %H:%M:%S")
        return (text + "+00:00" if postgres else text).alias(f"{field}_db")


def rollup_columns(frame, offsets: Offsets) -> pl.DataFrame:
    """What each row contributes to the rollups, as rollups.ticket_fact has it."""
    status = pl.col("status_value")
    taken, called = offsets.epoch("taken_at"), offsets.epoch("called_at")
    started, finished = offsets.epoch("started_at"), offsets.epoch("finished_at")
    wait = (
        pl.when(called.is_not_null() & (status != Ticket.Status.NO_SHOW))
        .then(pl.max_horizontal(called - taken, 0))
        .otherwise(None)
    )
    handle = (
        pl.when(
            (status == Ticket.Status.SERVED)
            & started.is_not_null()
            & finished.is_not_null()
        )
        .then(pl.max_horizontal(finished - started, 0))
        .otherwise(None)
    )
    staff_key = (
        pl.when(pl.col("staff_id").is_not_null())
        .then(pl.format(STAFF_PERSON + "{}", pl.col("staff_id")))
        .when(pl.col("staff_no") != "")
        .then(pl.format(STAFF_NUMBER + "{}", pl.col("staff_no")))
        .otherwise(pl.lit(""))
    )
    item_key = (
        pl.when(pl.col("service_item_id").is_not_null())
        .then(pl.format(ITEM_SERVICE + "{}", pl.col("service_item_id")))
        .when(pl.col("business") != "")
        .then(pl.format(ITEM_NAME + "{}", pl.col("business")))
        .otherwise(pl.lit(""))
    )
    return frame.select(
        "day",
        "status_value",
        hour=pl.col("taken_at_t").dt.hour().cast(pl.Int64),
        wait=wait,
        handle=handle,
        staff_key=staff_key,
        item_key=item_key,
        window_id=pl.col("window_id").fill_null(0),
        department_id=pl.col("department_id").fill_null(0),
    ).with_columns(minute=pl.col("wait") // 60)


def insert_rows(importer, frame, offsets: Offsets, progress=None) -> None:
    """The tickets inserted in file order, CHUNK rows at a time, each chunk
    turned into database values only when its turn comes."""
    postgres = importer.time.postgres
    values = (
        "ticket_no",
        pl.col("day").dt.to_string("%Y-%m-%d").alias("day_db"),
        "business",
        "service_item_id",
        "window_id",
        "department_id",
        "staff_id",
        "staff_no",
        *(offsets.stored(field, postgres) for field in TIME_FIELDS),
        "status_value",
    )
    now = importer.time.db_now()
    center_id, source_id = importer.center.pk, importer.source.pk
    new_id = importer.new_public_id
    total = frame.height
    for start in range(0, total, CHUNK):
        part = frame.slice(start, CHUNK).select(values)
        columns = [part.to_series(i).to_list() for i in range(part.width)]
        del part
        importer._insert(
            [
                (new_id(), now, now, center_id, source_id, *row)
                for row in zip(*columns, strict=True)
            ]
        )
        if progress:
            progress(min(1.0, (start + CHUNK) / total))


def _counters() -> list[pl.Expr]:
    """A group's ticket counters, in the rollups' order, then its minutes."""
    status = pl.col("status_value")
    wait, handle = pl.col("wait"), pl.col("handle")
    counters = {
        "taken": pl.len(),
        **{name: (status == s).sum() for s, name in STATUS_COUNTERS.items()},
        "waited": wait.count(),
        "wait_sum": wait.sum(),
        "handled": handle.count(),
        "handle_sum": handle.sum(),
    }
    return [
        *(counters[name].alias(name) for name in TICKET_COUNTERS),
        pl.col("minute").drop_nulls().alias("minutes"),
    ]


def _member(field: str, frame) -> pl.Expr:
    """Whether a row has a fact field set (a number not 0, a text not blank)."""
    column = pl.col(field)
    return column != "" if frame.schema[field] == pl.String else column != 0


def rollup_deltas(frame) -> TicketDeltas:
    """The rows' contributions to the day and hour rollups, as the row path's
    TicketDeltas would sum them, with each histogram already encoded."""
    deltas = TicketDeltas()
    for membership in TICKET_DIMENSIONS:
        key = (
            pl.lit("")
            if membership.key is None
            else pl.col(membership.key).cast(pl.String)
        )
        parent = pl.lit(0) if membership.parent is None else pl.col(membership.parent)
        member = pl.lit(True)
        for field in membership.requires:
            member &= _member(field, frame)
        grouped = (
            frame.filter(member)
            .group_by("day", key.alias("key"), parent.cast(pl.Int64).alias("parent"))
            .agg(_counters())
        )
        dim = membership.dim.value
        for row in grouped.iter_rows():
            day, member_key, parent_id, *counts, minutes = row
            key_tuple = (day, dim, member_key, parent_id)
            deltas.stats[key_tuple] = [int(c or 0) for c in counts]
            if minutes:
                deltas.minutes[key_tuple] = histogram_of(minutes)
    wait = pl.col("wait")
    hour_counters = {"taken": pl.len(), "waited": wait.count(), "wait_sum": wait.sum()}
    hours = frame.group_by("day", "hour").agg(
        hour_counters[name].alias(name) for name in HOUR_COUNTERS
    )
    for day, hour, *counts in hours.iter_rows():
        deltas.hours[(day, hour)] = [int(c or 0) for c in counts]
    return deltas


def stored_days_overlap(importer, frame) -> bool:
    """Whether this source already holds tickets on the file's days."""
    first, last = frame.select(
        pl.col("day").min().alias("first"), pl.col("day").max().alias("last")
    ).row(0)
    return Ticket.objects.filter(
        center=importer.center,
        source=importer.source,
        day__range=(first, last),
    ).exists()


def warnings(importer, frame) -> None:
    """Unknown staff numbers and business names, counted as the row path does."""
    unknown_staff = frame.filter(
        (pl.col("staff_no") != "") & pl.col("staff_id").is_null()
    ).get_column("staff_no")
    unknown_business = frame.filter(
        (pl.col("business") != "") & pl.col("service_item_id").is_null()
    ).get_column("business")
    for counter, series in (
        (importer.unknown_staff, unknown_staff),
        (importer.unknown_business, unknown_business),
    ):
        for value, count in series.value_counts().iter_rows():
            counter[value] += count


def preview(importer, frame) -> list[dict]:
    """The first rows as the row reader's preview shows them."""
    rows = frame.head(importer.preview_rows).select(
        "row",
        "ticket_no",
        "day",
        "business",
        "window_id",
        "staff_no",
        pl.concat_list(f"{field}_t" for field in TIME_FIELDS).alias("times"),
        "status_value",
    )
    return [
        {"row": number, **importer.preview_values(*values)}
        for number, *values in rows.iter_rows()
    ]


def import_columnar(importer, table, progress=None) -> bool:
    """Import the file on the fast path; False when the row reader must."""
    if table.is_workbook:
        return False
    try:
        frame = read_tickets(importer, table)
    except Fallback:
        return False
    if stored_days_overlap(importer, frame):
        return False
    importer.report.rows = frame.height
    importer.report.preview = preview(importer, frame)
    warnings(importer, frame)
    offsets = Offsets(importer, frame)
    if not importer.dry_run:
        insert_rows(importer, frame, offsets, progress)
    importer.report.created = frame.height
    frame = rollup_columns(frame, offsets)
    importer.deltas = rollup_deltas(frame)
    return True
