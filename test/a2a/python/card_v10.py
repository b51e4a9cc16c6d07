"""a2a-sdk 1.x: resolve a team's card with no A2A-Version header, then send one message (v1.0).

With A2A_TOKEN set, every request carries it as a bearer token.
Usage: python card_v10.py <team base URL> [text]. Prints one JSON line: the card's interfaces and
security schemes as the SDK parsed them, and what the send answered.
"""

import asyncio
import json
import os
import sys
import uuid

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, SendMessageRequest


HEADERS = {"Authorization": f"Bearer {os.environ['A2A_TOKEN']}"} if os.environ.get("A2A_TOKEN") else {}


async def main(base: str, text: str) -> None:
    async with httpx.AsyncClient(timeout=60, headers=HEADERS) as http:  # no A2A-Version on the card's GET
        card = await A2ACardResolver(http, base).get_agent_card()
    sender = httpx.AsyncClient(timeout=60, headers=HEADERS)  # the factory adds A2A-Version: 1.0 to it
    client = ClientFactory(ClientConfig(streaming=False, httpx_client=sender)).create(card)
    message = Message(role=Role.ROLE_USER, parts=[Part(text=text)], message_id=str(uuid.uuid4()))
    answer: dict = {}
    async for event in client.send_message(SendMessageRequest(message=message)):
        kind = event.WhichOneof("payload")
        if kind == "message":
            answer = {"kind": "message", "text": "".join(p.text for p in event.message.parts)}
        elif kind == "task":
            answer = {"kind": "task", "state": event.task.status.state}
        elif kind == "status_update":
            answer = {"kind": "task", "state": event.status_update.status.state}
    await client.close()
    await sender.aclose()
    print(json.dumps({
        "interfaces": [[i.protocol_binding, i.protocol_version] for i in card.supported_interfaces],
        "securitySchemes": {name: s.WhichOneof("scheme") for name, s in card.security_schemes.items()},
        "securityRequirements": [sorted(r.schemes.keys()) for r in card.security_requirements],
        "answer": answer,
    }))


asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Write a note."))
