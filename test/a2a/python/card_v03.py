"""a2a-sdk 0.3.x: resolve a team's card with no A2A-Version header, then send one message.

With A2A_TOKEN set, every request carries it as a bearer token.
Usage: python card_v03.py <team base URL> [text]. Prints one JSON line: the card's fields the
client read and what the send answered (a task's state or a message's text).
"""

import asyncio
import json
import os
import sys
import uuid

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, TextPart


HEADERS = {"Authorization": f"Bearer {os.environ['A2A_TOKEN']}"} if os.environ.get("A2A_TOKEN") else {}


async def main(base: str, text: str) -> None:
    async with httpx.AsyncClient(timeout=60, headers=HEADERS) as http:
        card = await A2ACardResolver(http, base).get_agent_card()
        client = ClientFactory(ClientConfig(httpx_client=http, streaming=False)).create(card)
        message = Message(role=Role.user, parts=[Part(root=TextPart(text=text))], message_id=str(uuid.uuid4()))
        answer: dict = {}
        async for event in client.send_message(message):
            if isinstance(event, Message):
                answer = {"kind": "message", "text": "".join(p.root.text for p in event.parts if hasattr(p.root, "text"))}
            else:
                task = event[0]
                answer = {"kind": "task", "state": task.status.state.value}
        schemes = {name: s.root.type for name, s in (card.security_schemes or {}).items()}
        print(json.dumps({"url": card.url, "transport": card.preferred_transport, "protocolVersion": card.protocol_version,
                          "securitySchemes": schemes, "answer": answer}))


asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Write a note."))
