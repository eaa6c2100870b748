"""What an outside auditor trusts alone: the log's Merkle tree (RFC 6962), checkpoints signed with the
installation's Ed25519 key (C2SP tlog-checkpoint), inclusion and consistency proofs checked offline,
a witness that cosigns only a consistent checkpoint, and the standalone verifier that refuses a cut,
rewritten, inserted-into or forked export given an earlier checkpoint. The published vectors
(`../shared/vectors/transparency-dev-merkle/`, RFC 8032 §7.1) run through convoca's code and through
the standalone file in an auditor's bare Python."""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import venv
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from tests.cli import convoca
from tests.conftest import ON_POSTGRES
from workflow.clock import LIMA
from workflow.engine import checkpoints
from workflow.storage import audit, merkle, verificador
from workflow.storage.db import connect
from workflow.storage.tables import AUDITORIA_ARBOL
from workflow.storage.verificador import Checkpoint, leaf_hash, node_hash

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "vectors" / "transparency-dev-merkle" / "testdata"
"""Beside the checkout, as the work folder and CI lay it (../shared)."""

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="files and the demo's SQLite database; the tree on PostgreSQL "
                                                    "is verified by every `auditoria verificar` of that suite")


def _b(text: str | None) -> bytes:
    return base64.b64decode(text) if text else b""


def _vectors(kind: str) -> list[tuple[str, dict]]:
    return [(f"{p.parent.name}/{p.stem}", json.loads(p.read_text())) for p in sorted((VECTORS / kind).glob("*/*.json"))]


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> str:
    """A virtual environment with nothing installed (no pip even): the auditor's bare Python."""
    where = tmp_path_factory.mktemp("auditor") / "venv"
    venv.create(where, with_pip=False)
    return str(where / "bin" / "python")


def standalone(python: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-I", str(cwd / "verificar_auditoria.py"), *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env={"PATH": "/usr/bin:/bin"})


# --- the published vectors ------------------------------------------------------------------------

def test_the_vectors_are_here():
    assert len(_vectors("inclusion")) > 50 and len(_vectors("consistency")) > 50


@pytest.mark.parametrize("name, v", _vectors("inclusion"))
def test_inclusion_vector_through_convocas_code(name, v):
    ok = verificador.verify_inclusion(v["leafIdx"], v["treeSize"], _b(v["leafHash"]), [_b(p) for p in v["proof"] or []],
                                      _b(v["root"]))
    assert ok is not v["wantErr"], v["desc"]


@pytest.mark.parametrize("name, v", _vectors("consistency"))
def test_consistency_vector_through_convocas_code(name, v):
    ok = verificador.verify_consistency(v["size1"], v["size2"], _b(v["root1"]), _b(v["root2"]),
                                        [_b(p) for p in v["proof"] or []])
    assert ok is not v["wantErr"], v["desc"]


def test_every_vector_through_the_standalone_verifier(bare_python, tmp_path):
    """Each vector written as the proof file `convoca auditoria prueba` writes, checked by the exported file."""
    shutil.copy(verificador.__file__, tmp_path / "verificar_auditoria.py")
    for kind, vectors in (("inclusion", _vectors("inclusion")), ("consistencia", _vectors("consistency"))):
        for name, v in vectors:
            if kind == "inclusion":
                data = {"tipo": kind, "indice": v["leafIdx"], "tamano": v["treeSize"], "raiz": v["root"],
                        "hoja": v["leafHash"], "prueba": v["proof"] or []}
            else:
                data = {"tipo": kind, "desde": {"tamano": v["size1"], "raiz": v["root1"]},
                        "hasta": {"tamano": v["size2"], "raiz": v["root2"]}, "prueba": v["proof"] or []}
            (tmp_path / "p.json").write_text(json.dumps(data))
            done = standalone(bare_python, "--prueba", "p.json", cwd=tmp_path)
            assert done.returncode == (4 if v["wantErr"] else 0), (kind, name, done.stdout, done.stderr)
            assert ("PRUEBA INVÁLIDA" in done.stderr or "No es una prueba" in done.stderr) if v["wantErr"] \
                else done.stdout.startswith("OK: ")


RFC8032 = [  # §7.1, TEST 1–3: secret key, public key, message, signature
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f059"
     "5bbe24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4"
     "302aeeb00d291612bb0c00"),
    ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716e"
     "d28dc027beceea1ec40a"),
]


@pytest.mark.parametrize("secret, public, message, signature", RFC8032)
def test_rfc8032_vectors_verify_and_a_changed_bit_does_not(secret, public, message, signature):
    pk, msg, sig = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    assert Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret)).sign(msg) == sig  # the vectors are RFC 8032's
    assert verificador.ed25519_verify(pk, msg, sig)
    assert not verificador.ed25519_verify(pk, msg + b"\x00", sig)
    for at in (0, 31, 32, 63):
        assert not verificador.ed25519_verify(pk, msg, sig[:at] + bytes([sig[at] ^ 1]) + sig[at + 1:])
    malleable = sig[:32] + (int.from_bytes(sig[32:], "little") + verificador._Q).to_bytes(32, "little")
    assert not verificador.ed25519_verify(pk, msg, malleable)  # s + L signs the same equation: refused as s ≥ L


@settings(max_examples=30, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32), message=st.binary(max_size=200), flip=st.integers(0, 511))
def test_the_standalone_ed25519_agrees_with_the_cryptography_package(seed, message, flip):
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signature = key.sign(message)
    assert verificador.ed25519_verify(public, message, signature)
    broken = bytearray(signature)
    broken[flip // 8] ^= 1 << (flip % 8)
    assert not verificador.ed25519_verify(public, message, bytes(broken))


# --- the stored tree gives the RFC's roots and proofs ---------------------------------------------

def _mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 read literally: the reference the stored tree is held to."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 140), data=st.data())
def test_the_stored_tree_gives_rfc6962_roots_and_proofs_that_verify(n, data):
    engine = create_engine("sqlite://")
    AUDITORIA_ARBOL.metadata.create_all(engine, tables=[AUDITORIA_ARBOL])
    hashes = [f"{i:064x}" for i in range(1, n + 1)]
    leaves = [leaf_hash(h) for h in hashes]
    with engine.begin() as conn:
        cut = data.draw(st.integers(1, n))
        merkle.grow(conn, 1, hashes[:cut])  # in two transactions' worth, as rows arrive
        merkle.grow(conn, cut + 1, hashes[cut:])
        size = data.draw(st.integers(1, n))
        root = merkle.root(conn, size)
        assert root == _mth(leaves[:size])
        index = data.draw(st.integers(0, size - 1))
        assert verificador.verify_inclusion(index, size, leaves[index], merkle.inclusion(conn, index, size), root)
        old = data.draw(st.integers(1, size))
        assert verificador.verify_consistency(old, size, _mth(leaves[:old]), root, merkle.consistency(conn, old, size))
        count = len(conn.execute(AUDITORIA_ARBOL.select()).all())
        assert count == merkle.expected_nodes(n)


# --- the installation's key, checkpoints and the export -------------------------------------------

@pytest.fixture(scope="module")
def signed(tmp_path_factory, demo_db: Path) -> dict:
    """The demo with its installation key, an earlier checkpoint kept by the auditor, rows written
    after it, and an export: what an auditor holds."""
    folder = tmp_path_factory.mktemp("firmado")
    shutil.copy(demo_db, folder / "demo.db")
    env = {"CONVOCA_DB": str(folder / "demo.db"), "CONVOCA_CLAVE": str(folder / "clave")}
    created = convoca("auditoria", "clave", "--crear", "--publica", str(folder / "publica.txt"), env=env)
    assert created.code == 0, created.err
    assert convoca("auditoria", "sellar", "--punto-control", str(folder / "anterior.txt"), env=env).code == 0
    _append(folder / "demo.db", "nota posterior al sello")
    exported = convoca("auditoria", "exportar", str(folder / "exp"), env=env)
    assert exported.code == 0, exported.err
    vkey = (folder / "publica.txt").read_text().strip()
    return {"folder": folder, "env": env, "vkey": vkey, "exp": folder / "exp", "anterior": folder / "anterior.txt",
            "outputs": created.out + exported.out}


def _append(db: Path, nota: str, n: int = 3) -> None:
    """Rows as convoca writes them (the calendar's, storing no new holiday), on this copy only."""
    engine = connect(f"sqlite:///{db}")
    with engine.begin() as conn:
        audit.append(conn, [audit.Entry(codigo="calendario", evento="guardar_feriados", usuario="calendario",
                                        rol=audit.SISTEMA, fecha_efectiva=datetime.now(LIMA).date(), nota=f"{nota} {i}",
                                        datos={"feriados": []}) for i in range(n)])
    engine.dispose()


def _copy(exp: Path, to: Path) -> Path:
    shutil.copytree(exp, to)
    return to


def _reseal(folder: Path) -> None:
    """What an attacker does after changing the rows: a sello.json that matches them."""
    rows = [json.loads(x) for x in (folder / "auditoria.jsonl").read_text().split("\n") if x]
    (folder / "sello.json").write_text(json.dumps({"filas": len(rows), "hash": rows[-1]["hash"], "instante": "x"}))


def _rechain(rows: list[dict]) -> list[dict]:
    """The whole chain recomputed after a change: every hash as convoca would write it."""
    previous, out = verificador.GENESIS, []
    for i, r in enumerate(rows, 1):
        content = {k: v for k, v in r.items() if k not in ("hash", "hash_previo")} | {"id": i}
        h = verificador.chain_hash(previous, content)
        out.append({**content, "hash_previo": previous, "hash": h})
        previous = h
    return out


def _write_rows(folder: Path, rows: list[dict]) -> None:
    (folder / "auditoria.jsonl").write_text("".join(verificador.canonical_text(r) + "\n" for r in rows))
    _reseal(folder)


def test_the_untouched_export_passes_with_the_key_and_the_earlier_checkpoint(signed, bare_python):
    done = standalone(bare_python, signed["exp"], "--clave", signed["vkey"], "--sello", signed["anterior"],
                      cwd=signed["exp"])
    assert done.returncode == 0, done.stderr
    assert "punto de control firmado por convoca/" in done.stdout and "contiene el sello anterior" in done.stdout
    ours = convoca("auditoria", "verificar", env=signed["env"])
    assert ours.code == 0 and done.stdout.split(";")[1] == ours.out.split(";")[1]  # the same last hash


def test_a_cut_tail_with_its_seal_rewritten_fails_naming_the_sizes(signed, bare_python, tmp_path):
    cut = _copy(signed["exp"], tmp_path / "cortada")
    lines = (cut / "auditoria.jsonl").read_text().split("\n")
    earlier = Checkpoint(signed["anterior"].read_text()).size
    (cut / "auditoria.jsonl").write_text("\n".join(lines[:earlier - 5]) + "\n")
    _reseal(cut)
    (cut / "punto_control.txt").unlink()  # the attacker cannot sign a checkpoint for the shorter log
    alone = standalone(bare_python, cut, cwd=cut)
    assert alone.returncode == 0  # without the earlier checkpoint, a consistent shorter log is all it sees
    done = standalone(bare_python, cut, "--sello", signed["anterior"], cwd=cut)
    assert done.returncode == 4 and f"tiene {earlier} filas y la exportación solo {earlier - 5}" in done.stderr
    keyed = standalone(bare_python, cut, "--clave", signed["vkey"], cwd=cut)
    assert keyed.returncode == 4 and "SIN PUNTO DE CONTROL" in keyed.stderr


@pytest.mark.parametrize("change", ["changed", "inserted"])
def test_a_rewritten_middle_or_an_inserted_row_fails_against_the_earlier_checkpoint(signed, bare_python, tmp_path,
                                                                                      change):
    folder = _copy(signed["exp"], tmp_path / change)
    rows = [json.loads(x) for x in (folder / "auditoria.jsonl").read_text().split("\n") if x]
    if change == "changed":
        rows[40]["nota"] = "otra nota"
    else:
        rows.insert(40, {**rows[40], "nota": "fila agregada"})
    _write_rows(folder, _rechain(rows))
    assert standalone(bare_python, folder, cwd=folder).returncode == 0  # the chain alone is consistent again
    done = standalone(bare_python, folder, "--sello", signed["anterior"], cwd=folder)
    assert done.returncode == 4 and "REGISTRO REESCRITO: las primeras" in done.stderr
    keyed = standalone(bare_python, folder, "--clave", signed["vkey"], cwd=folder)
    assert keyed.returncode == 4 and "NO COINCIDE CON EL PUNTO DE CONTROL" in keyed.stderr


def test_a_checkpoint_signed_by_another_key_fails(signed, bare_python, tmp_path):
    folder = _copy(signed["exp"], tmp_path / "otra")
    other = checkpoints.create(tmp_path / "otra-clave", Checkpoint((folder / "punto_control.txt").read_text()).origin)
    engine = connect(f"sqlite:///{signed['folder'] / 'demo.db'}")
    with engine.connect() as conn:
        (folder / "punto_control.txt").write_text(checkpoints.sign(conn, other, checkpoints.size_now(conn)).text())
    engine.dispose()
    assert standalone(bare_python, folder, "--clave", other.verifier(), cwd=folder).returncode == 0
    done = standalone(bare_python, folder, "--clave", signed["vkey"], cwd=folder)
    assert done.returncode == 4 and "FIRMA INVÁLIDA: punto_control.txt no está firmado" in done.stderr


def test_proofs_on_demand_check_offline_and_a_changed_proof_does_not(signed, bare_python, tmp_path):
    env, exp = signed["env"], signed["exp"]
    earlier = Checkpoint(signed["anterior"].read_text()).size
    assert convoca("auditoria", "prueba", "--fila", "17", "--archivo", str(tmp_path / "i.json"), env=env).code == 0
    assert convoca("auditoria", "prueba", "--desde", str(earlier), "--archivo", str(tmp_path / "c.json"), env=env).code == 0
    for name in ("i.json", "c.json"):
        done = standalone(bare_python, "--prueba", tmp_path / name, "--clave", signed["vkey"], cwd=exp)
        assert done.returncode == 0 and "según el punto de control firmado" in done.stdout, done.stderr
    inclusion = json.loads((tmp_path / "i.json").read_text())
    inclusion["fila"]["nota"] = "otra"
    (tmp_path / "i2.json").write_text(json.dumps(inclusion))
    assert standalone(bare_python, "--prueba", tmp_path / "i2.json", cwd=exp).returncode == 4
    consistency = json.loads((tmp_path / "c.json").read_text())
    consistency["desde"]["tamano"] -= 1
    (tmp_path / "c2.json").write_text(json.dumps(consistency))
    done = standalone(bare_python, "--prueba", tmp_path / "c2.json", cwd=exp)
    assert done.returncode == 4 and "no es prefijo" in done.stderr
    assert json.loads((tmp_path / "c.json").read_text())["punto_control_desde"] == signed["anterior"].read_text()


def test_the_key_is_never_printed_stored_or_exported_and_its_files_are_the_owners(signed):
    folder = signed["folder"]
    line = (folder / "clave").read_text()
    secret = line.strip().split("+", 4)[4]  # PRIVATE+KEY+NAME+ID+base64, whose own alphabet has «+»
    seed = base64.b64decode(secret)[1:]
    assert (folder / "clave").stat().st_mode & 0o777 == 0o600
    assert (folder / "anterior.txt").stat().st_mode & 0o077 == 0
    assert secret not in signed["outputs"] and "PRIVATE" not in signed["outputs"]
    database = (folder / "demo.db").read_bytes()
    assert seed not in database and secret.encode() not in database
    for f in signed["exp"].iterdir():
        assert secret.encode() not in f.read_bytes() and seed not in f.read_bytes(), f
        assert f.stat().st_mode & 0o077 == 0, f


def test_a_missing_unreadable_or_open_key_is_a_spanish_refusal(signed, tmp_path):
    env = {**signed["env"], "CONVOCA_CLAVE": str(tmp_path / "no-existe")}
    done = convoca("auditoria", "sellar", "--punto-control", str(tmp_path / "pc.txt"), env=env)
    assert done.code == 2 and "No hay clave de firma en" in done.err and not (tmp_path / "pc.txt").exists()
    assert convoca("auditoria", "clave", env=env).code == 2
    shutil.copy(signed["folder"] / "clave", tmp_path / "abierta")
    (tmp_path / "abierta").chmod(0o644)
    done = convoca("auditoria", "clave", env={**env, "CONVOCA_CLAVE": str(tmp_path / "abierta")})
    assert done.code == 2 and "la pueden leer otras cuentas" in done.err and "PRIVATE" not in done.err
    (tmp_path / "basura").write_text("no es una clave")
    (tmp_path / "basura").chmod(0o600)
    done = convoca("auditoria", "clave", env={**env, "CONVOCA_CLAVE": str(tmp_path / "basura")})
    assert done.code == 2 and "no es una clave de firma de convoca" in done.err
    done = convoca("auditoria", "clave", env={**env, "CONVOCA_CLAVE": "/dev/zero"})
    assert done.code == 2 and "no es un archivo de clave" in done.err
    again = convoca("auditoria", "clave", "--crear", env=signed["env"])
    assert again.code == 2 and "no se reemplaza" in again.err


# --- a witness and a fork --------------------------------------------------------------------------

def test_a_witness_cosigns_a_consistent_checkpoint_and_detects_a_fork(signed, bare_python, tmp_path):
    """The installation shows one auditor one history and a copy another: the witness that cosigned
    the first refuses the second, however it is presented."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(signed["folder"] / "demo.db", a)
    shutil.copy(signed["folder"] / "demo.db", b)
    key = signed["env"]["CONVOCA_CLAVE"]
    env_a, env_b = {"CONVOCA_DB": str(a), "CONVOCA_CLAVE": key}, {"CONVOCA_DB": str(b), "CONVOCA_CLAVE": key}
    witness = tmp_path / "testigo.clave"
    assert convoca("auditoria", "clave", "--crear", "--nombre", "oci.gob.pe/testigo", "--archivo", str(witness),
                   "--publica", str(tmp_path / "testigo.pub"), env=env_a).code == 0
    state, first = tmp_path / "ultimo.txt", tmp_path / "primero.txt"
    assert convoca("auditoria", "sellar", "--punto-control", str(first), env=env_a).code == 0

    def cosign(checkpoint: Path, env: dict, proof: Path | None = None, out: Path | None = None):
        return convoca("auditoria", "cofirmar", str(checkpoint), "--clave-instalacion", signed["vkey"],
                       "--clave-testigo", str(witness), "--estado", str(state),
                       *(["--prueba", str(proof)] if proof else []), *(["--archivo", str(out)] if out else []), env=env)

    done = cosign(first, env_a, out=tmp_path / "cofirmado.txt")
    assert done.code == 0 and "Cofirmado" in done.out, done.err
    size = Checkpoint(first.read_text()).size
    _append(a, "la historia A")
    _append(b, "la historia B")
    later_a, later_b = tmp_path / "a.txt", tmp_path / "b.txt"
    for env, path in ((env_a, later_a), (env_b, later_b)):
        assert convoca("auditoria", "sellar", "--punto-control", str(path), env=env).code == 0
        assert convoca("auditoria", "prueba", "--desde", str(size), "--archivo", str(path.with_suffix(".json")),
                       env=env).code == 0
    assert cosign(later_a, env_a, later_a.with_suffix(".json")).code == 0
    forked = cosign(later_b, env_b, later_b.with_suffix(".json"))  # same size as A's, another root
    assert forked.code == 4 and "BIFURCACIÓN: dos raíces distintas" in forked.err
    _append(b, "más de la historia B")
    longer = tmp_path / "b2.txt"
    assert convoca("auditoria", "sellar", "--punto-control", str(longer), env=env_b).code == 0
    size_a = Checkpoint(later_a.read_text()).size
    assert convoca("auditoria", "prueba", "--desde", str(size_a), "--archivo", str(tmp_path / "b2.json"),
                   env=env_b).code == 0
    forked = cosign(longer, env_b, tmp_path / "b2.json")  # B's own proof is about B's prefix, not A's
    assert forked.code == 4 and "BIFURCACIÓN: el registro de" in forked.err
    assert Checkpoint(state.read_text()).root == Checkpoint(later_a.read_text()).root  # it still follows A
    # and the auditor's verifier, given the witness, accepts only a checkpoint the witness cosigned
    exp = tmp_path / "exp-a"
    assert convoca("auditoria", "exportar", str(exp), env=env_a).code == 0
    wkey = (tmp_path / "testigo.pub").read_text().strip()
    ok = standalone(bare_python, exp, "--clave", signed["vkey"], "--sello", tmp_path / "cofirmado.txt",
                    "--testigo", wkey, cwd=exp)
    assert ok.returncode == 0 and "cofirmado por oci.gob.pe/testigo" in ok.stdout, ok.stderr
    bare = standalone(bare_python, exp, "--sello", first, "--testigo", wkey, cwd=exp)
    assert bare.returncode == 4 and "SIN COFIRMA" in bare.stderr
    # the installation keeps the witness's cosignatures and hands them over with the export
    unkept = standalone(bare_python, exp, "--clave", signed["vkey"], "--testigo", wkey, cwd=exp)
    assert unkept.returncode == 4 and "SIN COFIRMA: la exportación no trae ningún punto de control cofirmado" \
        in unkept.stderr
    store = ("auditoria", "cofirmas", "--guardar", str(state), "--testigo", wkey, "--usuario", "admin")
    assert convoca(*store, env=env_a).code == 0
    refused = convoca(*store, env=env_b)  # A's history is not B's
    assert refused.code == 2 and "BIFURCACIÓN: su raíz para" in refused.err
    assert convoca("auditoria", "cofirmas", "--guardar", str(later_b), "--testigo", wkey, "--usuario", "admin",
                   env=env_b).code == 2  # B's checkpoint was never cosigned
    assert f"{size_a} filas, cofirmado por oci.gob.pe/testigo" in convoca("auditoria", "cofirmas", env=env_a).out
    assert convoca("auditoria", "exportar", str(exp), env=env_a).code == 0
    kept = standalone(bare_python, exp, "--clave", signed["vkey"], "--testigo", wkey, cwd=exp)
    assert kept.returncode == 0 and f"contiene el punto de control de {size_a} filas cofirmado por oci.gob.pe/testigo" \
        in kept.stdout, kept.stderr
    cut = _copy(exp, tmp_path / "cortada")  # the export cut short of what the witness saw
    lines = (cut / "auditoria.jsonl").read_text().split("\n")[:size - 1]
    (cut / "auditoria.jsonl").write_text("\n".join(lines) + "\n")
    last = json.loads(lines[-1])
    (cut / "sello.json").write_text(json.dumps({"filas": len(lines), "hash": last["hash"], "instante": "x"}))
    (cut / "punto_control.txt").unlink()
    done = standalone(bare_python, cut, "--testigo", wkey, cwd=cut)
    assert done.returncode == 4 and f"el testigo oci.gob.pe/testigo cofirmó {size_a} filas" in done.stderr
    assert convoca("auditoria", "verificar", env=env_a).code == 0


def test_a_line_separator_in_a_note_does_not_break_the_export(tmp_path, demo_db, bare_python):
    """U+2028 is a line break to str.splitlines, not to the export: the verifier reads lines at \\n only."""
    shutil.copy(demo_db, tmp_path / "demo.db")
    _append(tmp_path / "demo.db", "una nota\u2028con separador\u2029y párrafo\x85", n=1)
    assert convoca("auditoria", "exportar", str(tmp_path / "exp"), env={"CONVOCA_DB": str(tmp_path / "demo.db"),
                                                                           "CONVOCA_CLAVE": str(tmp_path / "k")}).code == 0
    done = standalone(bare_python, tmp_path / "exp", cwd=tmp_path / "exp")
    assert done.returncode == 0, done.stderr


def test_a_tree_node_changed_around_convoca_is_named(tmp_path, demo_db):
    from sqlalchemy import text

    shutil.copy(demo_db, tmp_path / "demo.db")
    engine = connect(f"sqlite:///{tmp_path / 'demo.db'}")
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER auditoria_arbol_solo_agregar_update"))
        conn.execute(text("UPDATE auditoria_arbol SET hash = :h WHERE nivel = 3 AND indice = 5"), {"h": "0" * 64})
    engine.dispose()
    done = convoca("auditoria", "verificar", env={"CONVOCA_DB": str(tmp_path / "demo.db")})
    assert done.code == 4 and "el nodo 5 del nivel 3 del árbol de Merkle no es el de sus dos hijos" in done.err


def _checkpoint_in(text: str) -> Checkpoint:
    """The checkpoint as the mail prints it: its body, a blank line, its signature lines."""
    lines = text.split("cofirma):\n", 1)[1].split("\n")
    signatures = [line for line in lines[4:] if line.startswith("\u2014 ")]
    return Checkpoint("\n".join(lines[:4] + signatures) + "\n")


def test_the_monthly_seal_is_a_signed_checkpoint_with_its_consistency_proof(signed, tmp_path, monkeypatch):
    """What the auditors receive each month is what their witness cosigns: the checkpoint, and the
    proof from the previous month's."""
    from sqlmodel import Session, select

    from workflow.engine.sellos import queue_seals
    from workflow.storage.models import Message

    shutil.copy(signed["folder"] / "demo.db", tmp_path / "demo.db")
    monkeypatch.setenv("CONVOCA_CLAVE", signed["env"]["CONVOCA_CLAVE"])
    engine = connect(f"sqlite:///{tmp_path / 'demo.db'}")
    with Session(engine) as s:
        assert queue_seals(s, datetime(2020, 3, 2, 8, 0, tzinfo=LIMA)) == 1
    _append(tmp_path / "demo.db", "abril")
    with Session(engine) as s:
        assert queue_seals(s, datetime(2020, 4, 1, 8, 0, tzinfo=LIMA)) == 1
        march, april = s.execute(select(Message).where(Message.tipo == "sello").order_by(Message.id)).scalars().all()
    engine.dispose()
    key = verificador.read_key(signed["vkey"])
    first, second = (_checkpoint_in(m.texto) for m in (march, april))
    assert first.signed_by(key) and second.signed_by(key) and second.size > first.size
    assert "Prueba de consistencia" not in march.texto
    proof = json.loads(april.texto.rsplit("(guárdela en un archivo .json):\n", 1)[1])
    assert proof["desde"]["tamano"] == first.size and proof["hasta"]["tamano"] == second.size
    witness = checkpoints.create(tmp_path / "testigo", "oci.gob.pe/testigo", verificador.COSIGNER)
    checkpoints.cosign(first, key, witness, tmp_path / "estado", None)
    cosigned = checkpoints.cosign(second, key, witness, tmp_path / "estado", proof)
    assert cosigned.signed_by(verificador.read_key(witness.verifier()))
