"""The law's counting rules (TUO Ley 27444 arts. 144–151), against numpy as an oracle and by hand."""
from __future__ import annotations

from datetime import date

import holidays
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from states.calendar import Calendar, NonWorkingDay, add_months, seed_days

CAL = Calendar(pais="PE")


def oracle_holidays() -> list[str]:
    peru = holidays.country_holidays("PE", years=range(2019, 2029))
    extra = [d for e in seed_days("PE") for d in e.days()]
    return sorted({d.isoformat() for d in [*peru.keys(), *extra]})


def test_business_days_match_numpy_over_2019_to_2027():
    hol = np.array(oracle_holidays(), dtype="datetime64[D]")
    starts = np.arange(np.datetime64("2019-01-01"), np.datetime64("2028-01-01"))
    for n in range(0, 61):
        expected = np.busday_offset(starts, n, roll="forward" if n == 0 else "backward", holidays=hol)
        ours = np.array([CAL.add_business_days(d.astype(date), n) for d in starts], dtype="datetime64[D]")
        mismatch = np.nonzero(expected != ours)[0]
        assert mismatch.size == 0, f"n={n}: start {starts[mismatch[0]]} → {ours[mismatch[0]]}, numpy {expected[mismatch[0]]}"


HOLIDAYS = np.array(oracle_holidays(), dtype="datetime64[D]")


@given(st.dates(date(2019, 1, 1), date(2028, 12, 31)), st.dates(date(2019, 1, 1), date(2028, 12, 31)))
def test_business_days_between_matches_numpy_across_years(a, b):
    """(a, b] counted, negative backwards: what `plazos` shows as days left or overdue."""
    lo, hi = sorted((a, b))
    expected = int(np.busday_count(np.datetime64(lo) + 1, np.datetime64(hi) + 1, holidays=HOLIDAYS))
    assert CAL.business_days_between(a, b) == (expected if b >= a else -expected)


@pytest.mark.parametrize(("start", "n", "expected", "why"), [
    # Fri 2019-12-20: Dec 23, 24 (2), 25 Christmas, 26, 27 (4), 30, 31 (6), Jan 1 holiday, 2, 3 (8) → 2020-01-03
    (date(2019, 12, 20), 8, date(2020, 1, 3), "Navidad y Año Nuevo"),
    # Holy Week 2019: Thu 04-18 and Fri 04-19 are holidays; from Tue 04-16: 17 (1), 22 (2), 23 (3)
    (date(2019, 4, 16), 3, date(2019, 4, 23), "Semana Santa"),
    # Fiestas Patrias 2019: Sun 28, Mon 29 holiday, Tue 30 DS 002-2019-PCM; from Fri 07-26: Jul 31 (1)
    (date(2019, 7, 26), 1, date(2019, 7, 31), "28–29 de julio y día no laborable del 30"),
    # 2019-10-31 (DS 002-2019-PCM) and 11-01 (Todos los Santos); from Wed 10-30: Nov 4 (1)
    (date(2019, 10, 30), 1, date(2019, 11, 4), "31 de octubre y 1 de noviembre"),
    # 2019-08-29 (DS 002-2019-PCM) and 08-30 (Santa Rosa); from Wed 08-28: Sep 2 (1)
    (date(2019, 8, 28), 1, date(2019, 9, 2), "29 y 30 de agosto"),
    # a count from a Saturday starts on Monday: Mon 2019-11-18 is day 1
    (date(2019, 11, 16), 1, date(2019, 11, 18), "inicio en sábado"),
])
def test_worked_by_hand(start, n, expected, why):
    assert CAL.add_business_days(start, n) == expected, why


def test_calendar_days_ending_on_a_holiday_extend_to_next_business_day():
    # 2019-12-02 + 30 calendar days = Wed 2020-01-01 (holiday) → Thu 2020-01-02 (art. 145.2)
    assert CAL.add_calendar_days(date(2019, 12, 2), 30, extend=True) == date(2020, 1, 2)
    assert CAL.add_calendar_days(date(2019, 12, 2), 30, extend=False) == date(2020, 1, 1)


def test_months_run_date_to_date():
    assert add_months(date(2019, 12, 16), 6, "tuo", CAL) == date(2020, 6, 16)
    assert add_months(date(2019, 12, 16), 6, "codigo_civil") == date(2020, 6, 16)


def test_tuo_145_3_a_month_without_the_same_day_ends_on_the_next_months_first_business_day():
    # 2020-02-31 does not exist: Sun 2020-03-01 is not a business day → Mon 2020-03-02
    assert add_months(date(2019, 8, 31), 6, "tuo", CAL) == date(2020, 3, 2)
    # 2021-02-31 does not exist: Mon 2021-03-01
    assert add_months(date(2020, 8, 31), 6, "tuo", CAL) == date(2021, 3, 1)


def test_codigo_civil_183_a_month_without_the_same_day_ends_on_its_last_day():
    assert add_months(date(2019, 8, 31), 6, "codigo_civil") == date(2020, 2, 29)
    assert add_months(date(2020, 8, 31), 6, "codigo_civil") == date(2021, 2, 28)


def test_the_call_chooses_the_rule_for_the_execution_period():
    """Disbursed on 2019-08-31: the 6 months of execution end where the call's policy says."""
    from states.books import parse_call
    from states.call import DEFAULT_CALL
    from states.context import Context
    from states.pct_2019.rules.contrato import fin_de_ejecucion

    text = DEFAULT_CALL.read_text(encoding="utf-8")
    for politica, fin in (("tuo", date(2020, 3, 2)), ("codigo_civil", date(2020, 2, 29))):
        call = parse_call(text.replace('meses_sin_dia_igual = "tuo"', f'meses_sin_dia_igual = "{politica}"'))
        assert fin_de_ejecucion(Context("E062-0001", "contratada", {}, {}, call, date(2019, 8, 31),
                                        calendario=CAL)) == fin


def test_suspension_stops_both_counts():
    suspended = Calendar((NonWorkingDay(date(2020, 3, 16), date(2020, 6, 10), "suspension", "nacional",
                                        "DU 026-2020 y prórrogas"),), pais="PE")
    # 45 calendar days from 2020-03-02: 14 days run until 03-15, the count stops, 31 more from 06-11 → 07-11 (Sat)
    # → rolled to Mon 07-13
    assert suspended.add_calendar_days(date(2020, 3, 2), 45, extend=True) == date(2020, 7, 13)
    # 15 business days from Thu 2020-03-12: 13 (1), 16 suspended … 06-11 (2), 06-12 (3), 15–19 (8), 22–26 (13),
    # 29 Sts Peter & Paul holiday, 30 (14), Jul 1 (15)
    assert suspended.add_business_days(date(2020, 3, 12), 15) == date(2020, 7, 1)


def test_regional_day_counts_only_at_the_seat():
    arequipa = NonWorkingDay(date(2019, 8, 15), date(2019, 8, 15), "no_laborable", "Arequipa", "Ordenanza")
    assert Calendar((arequipa,), pais="PE").is_business_day(date(2019, 8, 15))
    assert not Calendar((arequipa,), sede="Arequipa", pais="PE").is_business_day(date(2019, 8, 15))
