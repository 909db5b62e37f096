"""`sagstilsyn api token create|revoke|list`: API tokens for case systems.

    sagstilsyn api token create --municipality 101 --source DUBU
    sagstilsyn api token revoke --id 3
    sagstilsyn api token revoke --municipality 101 --source DUBU     (every active token of DUBU)
    sagstilsyn api token list [--municipality 101]

`--municipality` may be left out when the deployment holds one municipality only.
The token is printed once, by `create`; only its hash is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sagstilsyn.api.models import ApiClient
from sagstilsyn.api.services import ApiClientError, api_client_create, api_client_revoke
from sagstilsyn.core.models import Municipality

ACTOR_LABEL = "kommandolinje"


class Command(BaseCommand):
    help = "API-nøgler til fagsystemer: opret, tilbagekald og vis (sagstilsyn api token …)."

    def add_arguments(self, parser: CommandParser) -> None:
        areas = parser.add_subparsers(dest="area", required=True, metavar="token")
        token = areas.add_parser("token", help="API-nøgler")
        actions = token.add_subparsers(dest="action", required=True, metavar="create|revoke|list")

        create = actions.add_parser("create", help="Opret en API-nøgle til et fagsystem")
        create.add_argument("--municipality", help="kommunekode, fx 101")
        create.add_argument("--source", required=True, help="fagsystemets navn (kilde), fx DUBU")

        revoke = actions.add_parser("revoke", help="Tilbagekald API-nøgler")
        revoke.add_argument("--id", type=int, dest="client_id", help="API-klientens id (se list)")
        revoke.add_argument("--municipality", help="kommunekode, fx 101")
        revoke.add_argument("--source", help="tilbagekald alle aktive nøgler for dette fagsystem")

        listing = actions.add_parser("list", help="Vis API-klienter (aldrig nøglerne)")
        listing.add_argument("--municipality", help="kommunekode, fx 101")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "revoke":
            self._revoke(options)
        else:
            self._list(options)

    def _municipality(self, code: str | None) -> Municipality:
        if code:
            found = Municipality.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"Kommunen med koden {code} findes ikke.")
            return found
        municipalities = list(Municipality.objects.all()[:2])
        if len(municipalities) != 1:
            raise CommandError("Angiv kommunen med --municipality KODE.")
        return municipalities[0]

    def _create(self, options: dict[str, Any]) -> None:
        municipality = self._municipality(options["municipality"])
        try:
            client, token = api_client_create(
                municipality=municipality, source=options["source"], actor=None, actor_label=ACTOR_LABEL
            )
        except ApiClientError as error:
            raise CommandError(f"API-nøglen blev ikke oprettet: {error}.") from error
        self.stdout.write(
            f"API-klient {client.pk} oprettet: kilde {client.source} i {municipality}.\n"
            "API-nøgle (vises kun denne ene gang; gem den sikkert i fagsystemet):"
        )
        self.stdout.write(token)

    def _revoke(self, options: dict[str, Any]) -> None:
        if options["client_id"] is not None:
            clients = list(ApiClient.objects.select_related("municipality").filter(pk=options["client_id"]))
            if not clients:
                raise CommandError(f"API-klient {options['client_id']} findes ikke.")
        elif options["source"]:
            municipality = self._municipality(options["municipality"])
            clients = list(
                ApiClient.objects.select_related("municipality").filter(
                    municipality=municipality, source=options["source"], active=True
                )
            )
            if not clients:
                raise CommandError(f"Ingen aktive API-nøgler for {options['source']} i {municipality}.")
        else:
            raise CommandError("Angiv --id ID eller --source NAVN (og evt. --municipality KODE).")
        for client in clients:
            was_active = client.active
            api_client_revoke(client=client, actor=None, actor_label=ACTOR_LABEL)
            state = "tilbagekaldt" if was_active else "var allerede tilbagekaldt"
            self.stdout.write(f"API-klient {client.pk} ({client.source}, {client.token_prefix}…) {state}.")

    def _list(self, options: dict[str, Any]) -> None:
        clients = ApiClient.objects.select_related("municipality").order_by(
            "municipality__code", "source", "id"
        )
        if options["municipality"]:
            clients = clients.filter(municipality=self._municipality(options["municipality"]))
        for client in clients:
            used = client.last_used_at.isoformat(timespec="seconds") if client.last_used_at else "aldrig"
            state = "aktiv" if client.active else "tilbagekaldt"
            self.stdout.write(
                f"{client.pk}\t{client.municipality.code}\t{client.source}\t{client.token_prefix}…\t"
                f"{state}\tsenest brugt: {used}"
            )
