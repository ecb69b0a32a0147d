/** The vault's file in its data folder; its own module so a small bundle (the CLI's) can name it. */
export const VAULT_FILE_NAME = 'vault.sqlite'
