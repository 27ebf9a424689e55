"""The records the examples name: one child's case and the registry around it (any id of your
own store works the same way)."""

from __future__ import annotations

# institutions
AEMO = "3f1c9a52-6d0e-4b8a-9c41-2a7e5d8b1f03"  # Service AEMO Colmar
ASE = "8a2d4e61-1b7c-4f39-a5d2-6c0e9f3b7a14"  # Aide sociale à l'enfance du Haut-Rhin
CMP = "c47b1e08-92f5-4d6a-b3e1-7f8a0c2d5e26"  # CMP enfants Colmar
SCHOOL = "5e9a7c13-4b2f-4e80-8d6c-1a3f5b7d9e37"  # École Jean Macé
CRIP = "d2f6b8a4-7c1e-4a93-9e5b-3c8d0f2a4b48"  # CRIP du Haut-Rhin
DEPARTEMENT = "1b8e3d5f-6a2c-4e71-b9d4-8f0a2c4e6b59"  # Conseil départemental du Haut-Rhin
# professionals
JEANNE = "6c3a9e1f-2d8b-4f57-a0c6-4e1b7d3f9a61"  # éducatrice spécialisée, AEMO
KARIM = "9f1d7b3e-5a4c-4e28-b6f0-2d8c4a6e0b72"  # assistant de service social, ASE
SOPHIE = "2a6e0c4b-8f3d-4b19-9c7a-5e1f3b9d7c83"  # psychologue, CMP
PAUL = "7d4b2f8a-1e6c-4a3d-8b5f-9c0e2a4d6f94"  # directeur d'école
# records
CASE = "4e8c2a6f-0b3d-4f71-9a5e-1c7b3d9f5a05"  # Léo's case
CONSENT = "b5a3f1d7-9c2e-4d86-a4b0-6e2c8a0f4d16"
REFERRAL = "e0c8a4f2-3d7b-4e5a-9f1c-7b5d3a1e9c27"
DELEGATION = "f9d7c5b3-1a8e-4c64-b2f0-8d6e4c2a0b38"
CONVENTION = "a3b1c9d7-5e4f-4a82-8c6d-0e2f4a6b8c49"
NETWORK = "0d2f4b6a-8c1e-4d93-a5b7-9f3e1d5c7a50"
