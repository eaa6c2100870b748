"""SMTP settings, from the environment or a settings file; never from the call file, which holds
the bases, not credentials."""
from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass

from states.errors import os_problem, small_text
from workflow.errors import ConvocaError

ENV = {"host": "CONVOCA_SMTP_HOST", "puerto": "CONVOCA_SMTP_PUERTO", "seguridad": "CONVOCA_SMTP_SEGURIDAD",
       "usuario": "CONVOCA_SMTP_USUARIO", "clave": "CONVOCA_SMTP_CLAVE", "remitente": "CONVOCA_SMTP_REMITENTE",
       "ca": "CONVOCA_SMTP_CA"}
SEGURIDADES = ("starttls", "ssl", "ninguna")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    puerto: int
    seguridad: str
    remitente: str
    usuario: str | None = None
    clave: str | None = None
    ca: str | None = None
    """An extra CA bundle to trust (a private CA); certificates are always verified."""


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def load() -> SmtpSettings | None:
    """None when nothing is configured: delivery is then off and messages wait in the outbox."""
    values: dict[str, str] = {}
    path = os.environ.get("CONVOCA_SMTP_ARCHIVO")
    if path:
        try:
            values.update({k: str(v) for k, v in tomllib.loads(small_text(path)).items()})
        except OSError as exc:
            raise ConvocaError(f"No se puede leer la configuración SMTP {path}: {os_problem(exc)}.") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConvocaError(f"La configuración SMTP {path} no es TOML válido: {exc}") from None
        except ValueError as exc:
            raise ConvocaError(f"La configuración SMTP {path} {exc}.") from None
    values.update({k: os.environ[v] for k, v in ENV.items() if os.environ.get(v)})
    if not values.get("host"):
        return None
    seguridad = values.get("seguridad", "starttls")
    if seguridad not in SEGURIDADES:
        raise ConvocaError(f"seguridad SMTP desconocida: {seguridad} (use {', '.join(SEGURIDADES)})")
    if seguridad == "ninguna" and not _loopback(values["host"]):
        raise ConvocaError("SMTP sin cifrado solo se permite hacia un servidor local (127.0.0.1).")
    if not values.get("remitente"):
        raise ConvocaError("Falta el remitente SMTP (CONVOCA_SMTP_REMITENTE).")
    try:
        puerto = int(values.get("puerto", "465" if seguridad == "ssl" else "587"))
    except ValueError:
        raise ConvocaError(f"Puerto SMTP inválido: {values.get('puerto')}") from None
    return SmtpSettings(values["host"], puerto, seguridad, values["remitente"], values.get("usuario"),
                        values.get("clave"), values.get("ca"))
