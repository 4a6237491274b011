"""credentials: issuer keys, BitstringStatusLists and the signed Open Badges 3.0 credential per certificate.

Revision ID: c7e2a9d41b58
Revises: e5b7c3d9f214
Create Date: 2026-12-02 16:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7e2a9d41b58'
down_revision = 'e5b7c3d9f214'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('credential_issuer_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fragment', sa.String(length=40), nullable=False),
    sa.Column('public_key_multibase', sa.String(length=80), nullable=False),
    sa.Column('private_key_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_issuer_keys')),
    sa.UniqueConstraint('fragment', name=op.f('uq_credential_issuer_keys_fragment')),
    sa.UniqueConstraint('public_key_multibase', name=op.f('uq_credential_issuer_keys_public_key_multibase'))
    )
    op.create_table('credential_status_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('bits', sa.LargeBinary(), nullable=False),
    sa.Column('credential', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_status_lists'))
    )
    op.create_table('credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('status_list_id', sa.Integer(), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('issuer_key_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_credentials_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['issuer_key_id'], ['credential_issuer_keys.id'], name=op.f('fk_credentials_issuer_key_id_credential_issuer_keys')),
    sa.ForeignKeyConstraint(['status_list_id'], ['credential_status_lists.id'], name=op.f('fk_credentials_status_list_id_credential_status_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credentials')),
    sa.UniqueConstraint('certificate_id', name=op.f('uq_credentials_certificate_id')),
    sa.UniqueConstraint('status_list_id', 'status_index', name=op.f('uq_credentials_status_list_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_credentials_uuid'))
    )


def downgrade():
    op.drop_table('credentials')
    op.drop_table('credential_status_lists')
    op.drop_table('credential_issuer_keys')
