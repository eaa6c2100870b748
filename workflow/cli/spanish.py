"""The words typer and click print themselves, in Spanish, whatever the machine's locale.

Part of that text is fixed in the click code typer ships ("Usage: ", "Show this message and exit.",
"Error: No such command"), so it is said here through the customisation points click offers: our
own command and group classes (usage, help option, section headings) and a `main` that shows a
usage error in Spanish. Nothing of typer or click is patched.
"""
from __future__ import annotations

import re
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

click = typer._click  # the click that typer ships and its classes derive from

AYUDA = "Muestra esta ayuda y sale."
INTERRUMPIDO = "Interrumpido: no se guardó nada de lo que estaba en curso."
"""Ctrl-C: every write is one transaction, so what was not committed is not there."""
TRADUCCIONES = (
    (r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?", lambda m: f"No existe el comando «{m[1]}»."
     + (f" ¿Quiso decir {_o(m[2])}?" if m[2] else "")),
    (r"No such option: (\S+)(?: Did you mean (.+)\?)?", lambda m: f"No existe la opción {m[1]}."
     + (f" ¿Quiso decir {_o(m[2])}?" if m[2] else "")),
    (r"No such option: (\S+) \(Possible options: (.+)\)", lambda m: f"No existe la opción {m[1]}. "
     f"¿Quiso decir {_o(m[2])}?"),
    (r"Missing argument '(.+)'\.", r"Falta el argumento «\1»."),
    (r"Missing option '(.+)'\.", r"Falta la opción «\1»."),
    (r"Missing parameter: (.+)", r"Falta el dato «\1»."),
    (r"Option '(.+)' requires an argument\.", r"La opción «\1» necesita un valor."),
    (r"Option '(.+)' requires (\d+) arguments\.", r"La opción «\1» necesita \2 valores."),
    (r"Got unexpected extra arguments? \((.+)\)", r"Sobra: \1."),
    (r"Missing command\.", "Falta el comando."),
    (r"Invalid value for (.+?): (.+)", lambda m: f"Valor inválido para {m[1]}: {_valor(m[2])}"),
)
VALORES = (
    (r"'(.+)' is not a valid integer(?: range)?\.?", r"«\1» no es un número entero."),
    (r"'(.+)' is not a valid float(?: range)?\.?", r"«\1» no es un número."),
    (r"'(.+)' is not one of (.+)\.", r"«\1» no es uno de \2."),
    (r"'(.+)' is not a valid boolean\.?", r"«\1» no es sí ni no."),
    (r"(?:File|Path|Directory) '(.+)' does not exist\.", r"no existe «\1»."),
    (r"Input should be a valid integer.*", "debe ser un número entero."),
    (r"Input should be a valid (?:number|decimal).*", "debe ser un número."),
    (r"Input should be a valid boolean.*", "debe ser sí o no."),
)
PALABRAS = (("[OPTIONS]", "[OPCIONES]"), ("COMMAND [ARGS]...", "COMANDO [ARGUMENTOS]..."),
            ("[required]", "[obligatorio]"), ("default: ", "por omisión: "), ("<list[str]>", "<texto>"),
            ("<str>", "<texto>"), ("<int>", "<entero>"), ("<bool>", "<sí/no>"), ("<path>", "<ruta>"),
            ("<Path>", "<ruta>"), ("<float>", "<número>"))
"""The words click and typer put in usage lines and help records."""


def _o(names: str) -> str:
    """click's `'a', 'b'` as Spanish says it: «a» o «b»."""
    items = [f"«{n.strip().strip(chr(39))}»" for n in names.split(",") if n.strip()]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " o " + items[-1]


def _words(text: str) -> str:
    for english, spanish_ in PALABRAS:
        text = text.replace(english, spanish_)
    return text


def _valor(text: str) -> str:
    for pattern, repl in VALORES:
        if re.fullmatch(pattern, text):
            return re.sub(pattern, repl, text)
    return text


def spanish(message: str) -> str:
    for pattern, repl in TRADUCCIONES:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, repl, message, flags=re.S)
    return message


class _Spanish:
    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Uso: ")

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [_words(piece) for piece in super().collect_usage_pieces(ctx)]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = AYUDA
        return option

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Arguments, then options; the options of one book's event, when a stage command serves
        several books, under their book's heading (the option's panel)."""
        records = [(p.param_type_name, getattr(p, "rich_help_panel", None), p.get_help_record(ctx))
                   for p in self.get_params(ctx)]
        panels = dict.fromkeys(panel for _, panel, _ in records if panel)
        for kind, panel, titulo in (("argument", None, "Argumentos"), ("option", None, "Opciones"),
                                    *(("option", panel, panel) for panel in panels)):
            rows = [(_words(r[0]), _words(r[1])) for k, g, r in records if k == kind and g == panel and r is not None]
            if rows:
                with formatter.section(titulo):
                    formatter.write_dl(rows)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """The command's example (`workflow/cli/examples.py`), last, as typed: never re-wrapped; for
        `avanzar`, before it, the events of the rule book (`workflow/cli/eventos.py`)."""
        from workflow.cli.examples import TODOS

        command = " ".join(ctx.command_path.split()[1:])
        if command == "avanzar":
            from workflow.cli.eventos import for_help

            with formatter.section("Eventos (convoca eventos [ESTADO] da además la etiqueta de cada dato)"):
                for line in for_help(formatter.width - formatter.current_indent):
                    formatter.write(f"{'':>{formatter.current_indent}}{line}\n")
        lines = TODOS.get(command)
        if lines:
            with formatter.section("Ejemplo"):
                for line in lines:
                    formatter.write(f"{'':>{formatter.current_indent}}$ {line}\n")

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """click's own errors shown in Spanish (usage, a hint, the error); everything else unchanged."""
        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                              **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help())
            sys.exit(0)
        except click.exceptions.UsageError as error:
            if error.ctx is not None:
                uso = _words(error.ctx.get_usage()).replace("Usage: ", "Uso: ")
                typer.echo(f"{uso}\nPruebe «{error.ctx.command_path} --help» para ver la ayuda.", err=True)
            typer.echo(f"Error: {spanish(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except click.exceptions.ClickException as error:
            typer.echo(f"Error: {spanish(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo(INTERRUMPIDO, err=True)
            sys.exit(130)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


class Command(_Spanish, TyperCommand):
    pass


class Group(_Spanish, TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        """A reader that closes the pipe (`convoca ver X | head -1`) ends the command quietly, with 0:
        what was asked for was read. click would say nothing and exit 1, an officer's error."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
            sys.exit(0)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        super().format_options(ctx, formatter)
        rows = [(name, cmd.get_short_help_str(formatter.width - 6 - len(name)))
                for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name)) and not cmd.hidden]
        if rows:
            with formatter.section("Comandos"):
                formatter.write_dl(rows)


class DefaultGroup(Group):
    """A group whose first subcommand is also what a bare call does: `convoca calendario 2020` is
    `convoca calendario listar 2020`, and `convoca calendario agregar …` its other subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        help_asked = any(a in ("--help", "-h") for a in args) and not (args and args[0] in self.commands)
        if not help_asked and (not args or args[0] not in self.commands):
            args = [next(iter(self.commands)), *args]
        return super().parse_args(ctx, args)


def in_spanish(app: typer.Typer) -> None:
    """Every command and group of `app` built with the Spanish classes."""
    if not (isinstance(app.info.cls, type) and issubclass(app.info.cls, Group)):
        app.info.cls = Group
    for info in app.registered_commands:
        info.cls = Command
    for group in app.registered_groups:
        in_spanish(group.typer_instance)
