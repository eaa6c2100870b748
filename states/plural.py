"""Counts that agree with their noun: «1 fila», «3 filas», «1 indicador», «2 indicadores».

The rule book's messages, the CLI's and the letters' all count things; «fila(s)» reads as a form,
not as Spanish. A noun whose plural is not the regular one (acción → acciones) gives it.
"""
from __future__ import annotations


def plural(singular: str) -> str:
    """The regular plural of the noun, its first word: a vowel takes -s, a consonant -es («plazo en
    curso» → «plazos en curso»); an adjective that agrees too (día hábil) is given whole."""
    noun, _, rest = singular.partition(" ")
    return noun + ("s" if noun[-1] in "aeiouáéó" else "es") + (f" {rest}" if rest else "")


def cuantos(n: int, singular: str, plural_: str | None = None) -> str:
    """`n` and its noun in the number `n` asks for."""
    return f"{n} {singular if n == 1 else plural_ or plural(singular)}"


def dias(n: int, unidad: str | None = None) -> str:
    """«1 día hábil», «3 días calendario», «2 días»: the count of a deadline in its own unit."""
    if unidad == "hábiles":
        return cuantos(n, "día hábil", "días hábiles")
    return cuantos(n, f"día {unidad}", f"días {unidad}") if unidad else cuantos(n, "día")
