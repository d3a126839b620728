"""Fichier › Ouvrir depuis le serveur… : the connection dialog of the team server.

It remembers the server (host, port, base, user, security, last dossier) in the settings, never the
password: left empty, libpq reads it from its password file (.pgpass) or a service file.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

SERVER_KEY = "server"  # settings.ui: the remembered server, without any password
SSL_MODES = (
    ("verify-full", "Chiffrée, certificat et nom du serveur vérifiés (recommandé)"),
    ("require", "Chiffrée, certificat non vérifié"),
    ("disable", "Non chiffrée (réseau local de test seulement)"),
)


def build_address(
    host: str, port: int, base: str, user: str, sslmode: str, dossier: str, password: str = ""
) -> str:
    """The ``postgresql://`` address the fields describe (the password only if one was typed)."""
    netloc = quote(user, safe="") if user else ""
    if password:
        netloc += ":" + quote(password, safe="")
    if netloc:
        netloc += "@"
    query: list[tuple[str, str]] = []
    h = host.strip()
    if h.startswith("/"):
        query.append(("host", h))
    else:
        netloc += f"[{h}]" if ":" in h else h
    if port and port != 5432:
        netloc += f":{port}"
    query += [("sslmode", sslmode)] if sslmode else []
    query += [("dossier", dossier.strip())] if dossier.strip() else []
    return f"postgresql://{netloc}/{quote(base.strip(), safe='')}?{urlencode(query, safe='/')}"


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None, remembered: dict) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ouvrir depuis le serveur")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Le dossier est sur le serveur PostgreSQL de votre structure. Le service informatique "
            "vous donne l'adresse du serveur, le nom de la base et votre identifiant."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit(str(remembered.get("host", "")))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(
            int(remembered.get("port", 5432)) if str(remembered.get("port", "")).isdigit() else 5432
        )
        self.base = QLineEdit(str(remembered.get("base", "spie")))
        self.user = QLineEdit(str(remembered.get("user", "")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("vide : celui du fichier .pgpass")
        self.ssl = QComboBox()
        for mode, label in SSL_MODES:
            self.ssl.addItem(label, mode)
        known = [m for m, _ in SSL_MODES]
        self.ssl.setCurrentIndex(
            known.index(remembered["sslmode"]) if remembered.get("sslmode") in known else 0
        )
        self.dossier = QComboBox()
        self.dossier.setEditable(True)
        self.dossier.setCurrentText(str(remembered.get("dossier", "")))
        self.list_button = QPushButton("Lister les dossiers")
        self.list_button.clicked.connect(self._list)
        row = QHBoxLayout()
        row.addWidget(self.dossier, 1)
        row.addWidget(self.list_button)
        for label, w in (
            ("&Serveur :", self.host),
            ("&Port :", self.port),
            ("&Base :", self.base),
            ("&Identifiant :", self.user),
            ("&Mot de passe :", self.password),
            ("&Sécurité :", self.ssl),
        ):
            form.addRow(label, w)
            w.setAccessibleName(label.replace("&", "").rstrip(" :"))
        dossier_label = QLabel("&Dossier :")
        dossier_label.setBuddy(self.dossier)
        form.addRow(dossier_label, row)
        self.dossier.setAccessibleName("Dossier")
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Ouvrir", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def address(self, *, with_password: bool = True, dossier: str | None = None) -> str:
        return build_address(
            self.host.text(),
            self.port.value(),
            self.base.text(),
            self.user.text(),
            str(self.ssl.currentData()),
            self.dossier.currentText() if dossier is None else dossier,
            self.password.text() if with_password else "",
        )

    def remembered(self) -> dict:
        """What the settings keep: everything but the password."""
        return {
            "host": self.host.text().strip(),
            "port": self.port.value(),
            "base": self.base.text().strip(),
            "user": self.user.text().strip(),
            "sslmode": str(self.ssl.currentData()),
            "dossier": self.dossier.currentText().strip(),
        }

    def _list(self) -> None:
        from ..models import DossierError
        from ..server.address import SCHEMA_PREFIX
        from ..server.dossiers import list_server_dossiers

        try:
            found = list_server_dossiers(self.address(dossier=""))
        except DossierError as exc:
            self.message.setText(str(exc))
            return
        current = self.dossier.currentText()
        self.dossier.clear()
        for schema, title in found:
            ident = schema.removeprefix(SCHEMA_PREFIX)
            self.dossier.addItem(f"{ident} — {title}", ident)
        self.message.setText(
            f"{len(found)} dossier(s) que vous pouvez ouvrir."
            if found
            else "Aucun dossier que vous puissiez ouvrir dans cette base."
        )
        if current:
            self.dossier.setCurrentText(current)

    def _accept(self) -> None:
        from ..models import DossierError
        from ..server.address import parse_address

        data = self.dossier.currentData()
        if data and self.dossier.currentText().startswith(f"{data} — "):
            self.dossier.setCurrentText(str(data))
        if not self.host.text().strip() or not self.base.text().strip():
            self.message.setText("Indiquez le serveur et la base.")
            return
        try:
            parse_address(self.address())
        except DossierError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


def ask_server_address(parent: QWidget | None, settings) -> str | None:
    """The address to open (with the typed password, kept in memory only), or None; remembers the server."""
    remembered = settings.ui.get(SERVER_KEY)
    dialog = ServerDialog(parent, remembered if isinstance(remembered, dict) else {})
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    settings.ui[SERVER_KEY] = dialog.remembered()
    return dialog.address()
