"""Notifications with legal effect, through the command line on both databases (rule book §10; TUO
Ley 27444 arts. 20.1.1, 20.4, 27.2, 144.1): an e-mail notifies only whoever authorised it, a period
runs from the business day after the notification takes effect, and one not acknowledged within the
law's wait becomes FONDECYT's task to deliver it at the domicile, counted from that delivery."""
from __future__ import annotations

import json

from tests.test_dinero import Project


def plazo(p: Project, tipo: str) -> dict:
    [row] = [r for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json")) if r["tipo"] == tipo]
    return row


def notificar(p: Project, fecha: str, *datos: str, code: int = 0) -> str:
    return p.ev("registrar_notificacion", fecha, "ues", *datos, code=code)


def test_tuo_20_4_an_email_without_express_authorisation_does_not_notify(db_url, tmp_path):
    """The representative did not authorise e-mail in the application: the invitation to sign is not
    notified by its acknowledgment (refused, nothing recorded, no signing period), nor by an
    authorisation given after it was sent; delivered at the domicile, the period runs from there."""
    p = Project(db_url, tmp_path, "aprobada", representante_autoriza_correo="no")  # published Mon 2019-11-18
    assert [r["tipo"] for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json"))] == ["NF"]
    assert plazo(p, "NF")["vence"] == "2019-11-18"  # owed by another channel at once
    antes = p.hechos()
    out = notificar(p, "2019-11-19", "notificacion=invitacion_firma", "medio=correo", "evidencia=respuesta", code=2)
    assert "TUO Ley 27444 art. 20.4: el representante no había autorizado expresamente la notificación por " \
           "correo electrónico cuando se envió (2019-11-18)" in out
    assert p.hechos() == antes and "PF" not in {r["tipo"] for r in json.loads(p.run("plazos", "--json"))}
    p.ev("autorizar_correo", "2019-11-20", "ues", "destinatario=representante", "documento=Carta 12-2019")
    assert "no había autorizado" in notificar(p, "2019-11-20", "notificacion=invitacion_firma", "medio=correo",
                                              "evidencia=respuesta", code=2)
    [fila] = [n for n in json.loads(p.run("notificaciones", "--caso", p.codigo, "--pendientes", "--json"))
              if n["tipo"] == "invitacion_firma"]
    assert fila["correo_autorizado"] is False and "--dato medio=domicilio" in fila["registrar"]
    assert fila["message_id"].endswith("@convoca.fondecyt.invalid>") and len(fila["sha256"]) == 64
    notificar(p, "2019-11-21", "notificacion=invitacion_firma", "medio=domicilio", "evidencia=cargo C-31")
    # 10 business days from Thu 11-21: Nov 22 (1), 25–29 (6), Dec 2–5 (10) → Thu 2019-12-05
    pf = plazo(p, "PF")
    assert pf["vence"] == "2019-12-05" and pf["cuenta_desde"] == "notificación invitacion_firma efectiva el 2019-11-21"
    assert "surtió efecto el 2019-11-21 (domicilio: cargo C-31)" in notificar(
        p, "2019-11-22", "notificacion=invitacion_firma", "medio=domicilio", "evidencia=otra", code=2)


def test_tuo_144_1_observations_acknowledged_on_a_friday_run_45_days_from_the_monday(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")
    p.hito(1, "presentar_itf", "2020-02-14", "indicadores_cumplidos=3", "declaracion_contrapartida=DJ-1")
    p.hito(1, "observar_itf", "2020-02-20", "observaciones=faltan actas")  # Thursday
    assert "P4" not in {r["tipo"] for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json"))}
    notificar(p, "2020-02-21", "notificacion=observaciones_itf", "hito=1", "medio=correo",
              "evidencia=acuse <r1@example.org>")  # Friday
    p4 = plazo(p, "P4")
    # day one is Monday 02-24: 45 calendar days end on Wednesday 2020-04-08
    assert (p4["vence"], p4["cuenta_desde"]) == ("2020-04-08", "notificación observaciones_itf efectiva el 2020-02-21")
    [n] = [n for n in json.loads(p.run("notificaciones", "--caso", p.codigo, "--json"))
           if n["notificacion"] == "observaciones_itf/1"]
    assert (n["efectiva"], n["medio"], n["evidencia"]) == ("2020-02-21", "correo", "acuse <r1@example.org>")


def test_tuo_20_4_unacknowledged_after_two_business_days_goes_to_the_domicile(db_url, tmp_path):
    """Observations e-mailed on Thursday 2020-02-20 and never acknowledged: after Fri 21 and Mon 24,
    `vigilar` raises the monitor's task (and writes to nobody about it); the delivery at the domicile
    on Wed 02-26 starts the 45 days on Thu 02-27: they end Sat 04-11, moved to Mon 04-13 (Holy
    Thursday and Good Friday fall before)."""
    p = Project(db_url, tmp_path, "hitos")
    p.hito(1, "presentar_itf", "2020-02-14", "indicadores_cumplidos=3", "declaracion_contrapartida=DJ-1")
    p.hito(1, "observar_itf", "2020-02-20", "observaciones=faltan actas")
    assert plazo(p, "N4")["vence"] == "2020-02-24"
    assert "N4" not in p.run("vigilar", "--ahora", "2020-02-24T09:00")  # due today: not yet
    pasada = p.run("vigilar", "--ahora", "2020-02-25T09:00")
    [linea] = [ln for ln in pasada.splitlines() if "N4/1" in ln]
    assert "plazo_vencido" in linea and "notificarla en el domicilio" in linea
    tarea = plazo(p, "N4")
    assert (tarea["estado"], tarea["responsable"]) == ("vencido", "monitor")
    correos = json.loads(p.run("correos", "--caso", p.codigo, "--json"))
    assert not [m for m in correos if m["tipo"] == "vencido" and "Notificación" in m["asunto"]]
    notificar(p, "2020-02-26", "notificacion=observaciones_itf", "hito=1", "medio=domicilio", "evidencia=cargo C-9")
    assert plazo(p, "P4")["vence"] == "2020-04-13"
    assert "N4" not in {r["tipo"] for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json"))}
    assert "OK:" in p.run("auditoria", "verificar")
