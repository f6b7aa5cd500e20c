/**
 * An agency's key, loaded into the page's memory only. Dropping it (the
 * page calls `key.free()`) wipes the key.
 */
export class AgencyKey {
    static __wrap(ptr) {
        const obj = Object.create(AgencyKey.prototype);
        obj.__wbg_ptr = ptr;
        AgencyKeyFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        AgencyKeyFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_agencykey_free(ptr, 0);
    }
    /**
     * The agency's id, `agency1…`, to show the worker which key is loaded.
     * @returns {string}
     */
    id() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.agencykey_id(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * `AgencyKey.load(bytes, passphrase)`: opens an agency key file
     * (`vault agency export-key`, docs/spec/agency-key-v1.md) in memory,
     * or throws a `Problem` (`bad_key_file`, `wrong_passphrase`). The
     * passphrase is wiped once used; nothing is stored.
     * @param {Uint8Array | number[]} bytes
     * @param {string} passphrase
     * @returns {AgencyKey}
     */
    static load(bytes, passphrase) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.agencykey_load(ptr0, len0, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return AgencyKey.__wrap(ret[0]);
    }
}
if (Symbol.dispose) AgencyKey.prototype[Symbol.dispose] = AgencyKey.prototype.free;

/**
 * `addContact(name, id)` → `{ contact }`.
 * @param {string} name
 * @param {string} id
 * @returns {any}
 */
export function addContact(name, id) {
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.addContact(ptr0, len0, ptr1, len1);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateClients(status, bodyText, nowSecs)` → `{ clients: [{ survivor,
 * name, until, untilText, active, whenText }] }`: who gave this advocate
 * permission, soonest end first, as the relay says.
 * @param {number} status_code
 * @param {string} body
 * @param {number} now_secs
 * @returns {any}
 */
export function advocateClients(status_code, body, now_secs) {
    const val2 = +status_code;
    const val3 = +now_secs;
    const ptr0 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.advocateClients(val2, ptr0, len0, val3);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateClientsRequest(origin, nowSecs)`: `GET /v1/delegations`,
 * signed by the advocate's key.
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function advocateClientsRequest(origin, now_secs) {
    const val2 = +now_secs;
    const ptr0 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.advocateClientsRequest(ptr0, len0, val2);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateId()` → `{ id }` (`advocate1…`), or null when no key is loaded.
 * @returns {any}
 */
export function advocateId() {
    const ret = wasm.advocateId();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateImport(bytes, passphrase)`: opens an advocate's key file and
 * keeps the key sealed in this vault (replacing one loaded before) →
 * `{ id }`. An agency's key file is refused in words.
 * @param {Uint8Array | number[]} bytes
 * @param {string} passphrase
 * @returns {any}
 */
export function advocateImport(bytes, passphrase) {
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.advocateImport(ptr0, len0, ptr1, len1);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateShares(survivor, status, bodyText, nowSecs)` → `{ shares:
 * [{ tokenId, shortId, fields: [], who, purpose: null, expires,
 * expiresText, usesLeft, maxUses, status, statusText, line }], warning }`,
 * newest first: what `vault advocate shares` lists (no fields, no
 * purpose: an advocate never sees them), and the warning that the
 * permission ends soon, or null.
 * @param {string} survivor_text
 * @param {number} status_code
 * @param {string} body
 * @param {number} now_secs
 * @returns {any}
 */
export function advocateShares(survivor_text, status_code, body, now_secs) {
    const val3 = +status_code;
    const val4 = +now_secs;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(survivor_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.advocateShares(ptr0, len0, val3, ptr1, len1, val4);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateSharesRequest(survivor, origin, nowSecs)`: `GET
 * /v1/shares?survivor=…`, signed by the advocate's key.
 * @param {string} survivor_text
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function advocateSharesRequest(survivor_text, origin, now_secs) {
    const val3 = +now_secs;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(survivor_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.advocateSharesRequest(ptr0, len0, ptr1, len1, val3);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateWithdrawRequest(survivor, tokenId, origin, nowSecs)`: `POST
 * /v1/revoke` for one share (`tokenId` the full id from
 * `advocateShares`), or `POST /v1/revoke-all` for every share of
 * `survivor` when `tokenId` is null; signed by the advocate's key.
 * @param {string} survivor_text
 * @param {string | null | undefined} token_id
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function advocateWithdrawRequest(survivor_text, token_id, origin, now_secs) {
    const val4 = +now_secs;
    let ptr0, len0, ptr1, len1, ptr2, len2;
    try {
        ptr0 = passStringToWasm0(survivor_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = isLikeNone(token_id) ? 0 : passStringToWasm0(token_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.advocateWithdrawRequest(ptr0, len0, ptr1, len1, ptr2, len2, val4);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `advocateWithdrawn(survivor, status, bodyText, listStatus, listText,
 * nowSecs, one)`: the relay's answer to the withdrawal, and to the `GET
 * /v1/shares?survivor=…` asked right after (`listStatus` 0: not reached)
 * → `{ text }` in the words of `vault advocate revoke`.
 * @param {string} survivor_text
 * @param {number} status_code
 * @param {string} body
 * @param {number} list_status
 * @param {string} list_body
 * @param {number} now_secs
 * @param {boolean} one
 * @returns {any}
 */
export function advocateWithdrawn(survivor_text, status_code, body, list_status, list_body, now_secs, one) {
    const val4 = +status_code;
    const val5 = +list_status;
    const val6 = +now_secs;
    const val7 = +one;
    let ptr0, len0, ptr1, len1, ptr2, len2;
    try {
        ptr0 = passStringToWasm0(survivor_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = passStringToWasm0(list_body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.advocateWithdrawn(ptr0, len0, val4, ptr1, len1, val5, ptr2, len2, val6, val7);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `backupSaved()`: the Worker holds the whole backup from
 * [`export_backup`]; the vault notes it (for `backupState`). The Worker
 * commits this with the operation.
 * @returns {any}
 */
export function backupSaved() {
    const ret = wasm.backupSaved();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `backupState()` → `{ changedSinceBackup, lastBackup, lastBackupText }`
 * (`lastBackup` and its text null when no backup was made).
 * @returns {any}
 */
export function backupState() {
    const ret = wasm.backupState();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `cancelImport()`: the Worker could not finish an import the module
 * accepted (its documents could not be put in place, or the commit
 * failed): the vault is dropped; the Worker loads the records again.
 */
export function cancelImport() {
    wasm.cancelImport();
}

/**
 * `clockOffset(status, bodyText, nowSecs)`: for an answer `403
 * clock_skew` that gives the relay's time, how many seconds to add to
 * this device's clock to sign again (once, and never an upload, as
 * `vault` does); otherwise `undefined`.
 * @param {number} status_code
 * @param {string} body
 * @param {number} now_secs
 * @returns {number | undefined}
 */
export function clockOffset(status_code, body, now_secs) {
    const val2 = +status_code;
    const val3 = +now_secs;
    const ptr0 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.clockOffset(val2, ptr0, len0, val3);
    return ret[0] === 0 ? undefined : ret[1];
}

/**
 * `contacts()` → `{ contacts: [{ name, id, role, fingerprint }] }`.
 * @returns {any}
 */
export function contacts() {
    const ret = wasm.contacts();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `create(passphrase)`: a new survivor's vault (Argon2id with the CLI's
 * parameters) → `{ id, repairs }`. Refused if a vault exists or the
 * passphrase is too short.
 * @param {string} passphrase
 * @returns {any}
 */
export function create(passphrase) {
    const ptr0 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.create(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `endHelperAnswer(status, bodyText)` → `{ text }` (`vault undelegate`'s
 * words). A relay that had no such permission: this vault's note of it
 * is stale and forgotten, and the problem says nothing changed.
 * @param {number} status_code
 * @param {string} body
 * @returns {any}
 */
export function endHelperAnswer(status_code, body) {
    const val2 = +status_code;
    const ptr0 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.endHelperAnswer(val2, ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `endHelperRequest(advocate, origin, nowSecs)`: `POST
 * /v1/delegations/remove`, signed; `endHelperAnswer` reads the answer.
 * @param {string} advocate
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function endHelperRequest(advocate, origin, now_secs) {
    const val3 = +now_secs;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(advocate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.endHelperRequest(ptr0, len0, ptr1, len1, val3);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `exportBackup()`: writes the whole backup to the Worker's `outputWrite`
 * → `{ fileName, records, documents, bytes }`. On a problem the Worker
 * discards what it was given; nothing in the vault changed.
 * @returns {any}
 */
export function exportBackup() {
    const ret = wasm.exportBackup();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `getText(path)` → `{ value }`; a document → `bad_input`.
 * @param {string} path_text
 * @returns {any}
 */
export function getText(path_text) {
    const ptr0 = passStringToWasm0(path_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.getText(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `hasVault()`: whether the records hold a vault.
 * @returns {boolean}
 */
export function hasVault() {
    const ret = wasm.hasVault();
    return ret !== 0;
}

/**
 * `helperAnswer(status, bodyText)` → `{ text }`; the permission is noted
 * in the vault once the relay has it.
 * @param {number} status_code
 * @param {string} body
 * @returns {any}
 */
export function helperAnswer(status_code, body) {
    const val2 = +status_code;
    const ptr0 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.helperAnswer(val2, ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `helperRequest(advocate, days, origin, nowSecs)`: `POST /v1/delegations`,
 * signed; `helperAnswer` reads the relay's answer.
 * @param {string} advocate
 * @param {number} days
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function helperRequest(advocate, days, origin, now_secs) {
    const val3 = +days;
    const val4 = +now_secs;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(advocate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.helperRequest(ptr0, len0, val3, ptr1, len1, val4);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `helpers()` → `{ helpers: [{ advocate, name, until, untilText }] }`:
 * the permissions this vault gave, as it noted them, soonest end first.
 * @returns {any}
 */
export function helpers() {
    const ret = wasm.helpers();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `history(origin, status, bodyText)`: the relay's log, checked by
 * vault-core (chain, signed head, the head this vault remembers, which
 * is then updated) → `{ lines: [{ time, timeText, text }], verified,
 * warning }`; a history that does not hold together gives no lines,
 * `verified: false` and the warning `vault log` gives.
 * @param {string} origin
 * @param {number} status_code
 * @param {string} body
 * @returns {any}
 */
export function history(origin, status_code, body) {
    const val3 = +status_code;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.history(ptr0, len0, val3, ptr1, len1);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `historyRequest(origin, nowSecs)`: `GET /v1/log`, signed.
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function historyRequest(origin, now_secs) {
    const val2 = +now_secs;
    const ptr0 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.historyRequest(ptr0, len0, val2);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `importBackup(passphrase, replace)`: imports what the Worker's
 * `inputRead` yields → `{ id, repairs, records, documents }`, the vault
 * open (the backup's own id). A vault already here is replaced only when
 * `replace` is true (else problem `exists`); its records are removed in
 * the same journal the import fills, so the Worker's one commit swaps
 * them. On any problem the records are as they were, and a vault that
 * was open stays open.
 * @param {string} passphrase
 * @param {boolean} replace
 * @returns {any}
 */
export function importBackup(passphrase, replace) {
    const val2 = +replace;
    const ptr0 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.importBackup(ptr0, len0, val2);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `isOpen()`: whether a vault is unlocked.
 * @returns {boolean}
 */
export function isOpen() {
    const ret = wasm.isOpen();
    return ret !== 0;
}

/**
 * `linkInfo(href)`: the relay's origin and the token id (hex) of a share
 * link, or throws a `Problem` (`bad_link`). The secret stays in the link.
 * @param {string} href
 * @returns {any}
 */
export function linkInfo(href) {
    const ptr0 = passStringToWasm0(href, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.linkInfo(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `list()` → `{ entries: [{ path, kind, name, type, size, sizeText,
 * updated, updatedText }], damaged }`.
 * @returns {any}
 */
export function list() {
    const ret = wasm.list();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `load(entries)`: the records as read from IndexedDB, an array of
 * `[hexKey, Uint8Array]`; replaces what this module holds and forgets
 * its journal (at start, and after a failed commit). A key that is not
 * hex is skipped (it is not ours).
 * @param {Array<any>} entries
 */
export function load(entries) {
    wasm.load(entries);
}

/**
 * `loadCatalogue(lang, text)`: takes the translation `lang` (`es`) from
 * the text of its catalogue (`/web/pkg/es.ftl`, which the page fetches:
 * the module embeds English only, so that a person who reads English
 * does not download Spanish). True when the language can now be set; false
 * (and English kept) for a code without a catalogue or a text that is not
 * the whole catalogue.
 * @param {string} lang
 * @param {string} text
 * @returns {boolean}
 */
export function loadCatalogue(lang, text) {
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(lang, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.loadCatalogue(ptr0, len0, ptr1, len1);
    return ret !== 0;
}

/**
 * `lock()`: drops the vault and every key, and any share half-made.
 */
export function lock() {
    wasm.lock();
}

/**
 * `openAnswer(href, status, bodyText, key, nowSecs)`: the relay's answer
 * to the redemption of `href` (made with `key`, or without), read by
 * vault-core: an `Opened` if the status is 200 and every check passed,
 * else a `Problem`. Never throws.
 * @param {string} href
 * @param {number} status_code
 * @param {string} body_text
 * @param {any} key
 * @param {number} now_secs
 * @returns {any}
 */
export function openAnswer(href, status_code, body_text, key, now_secs) {
    const val3 = +status_code;
    const val4 = +now_secs;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(href, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(body_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.openAnswer(ptr0, len0, val3, ptr1, len1, key, val4);
    return ret;
}

/**
 * `passphraseHint(passphrase)` → `{ score, text }`: a rough strength hint
 * (0 too short … 4 strong) while a new passphrase is typed
 * ([`vault_core::strength`]); nothing is kept.
 * @param {string} passphrase
 * @returns {any}
 */
export function passphraseHint(passphrase) {
    const ptr0 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.passphraseHint(ptr0, len0);
    return ret;
}

/**
 * `previewHelper(advocate, days, nowSecs)` → `{ preview, replaces }`: the
 * words `vault delegate` shows before asking (what the advocate will and
 * will not see).
 * @param {string} advocate
 * @param {number} days
 * @param {number} now_secs
 * @returns {any}
 */
export function previewHelper(advocate, days, now_secs) {
    const val2 = +days;
    const val3 = +now_secs;
    const ptr0 = passStringToWasm0(advocate, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.previewHelper(ptr0, len0, val2, val3);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `previewShare(args, nowSecs)` → `{ preview, leaving: [{ path, text }],
 * unknownAgency }`: the words `vault grant` shows before asking, and each
 * field's content as it will leave.
 * @param {any} args
 * @param {number} now_secs
 * @returns {any}
 */
export function previewShare(args, now_secs) {
    const ret = wasm.previewShare(args, now_secs);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `problem(kind)`: the problem of that kind with its own words (for the
 * Worker's own refusals: `locked`, `no_vault`, `bad_input`, `unknown`).
 * @param {string} kind
 * @returns {any}
 */
export function problem(kind) {
    const ptr0 = passStringToWasm0(kind, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.problem(ptr0, len0);
    return ret;
}

/**
 * `putDocument(path, name, type)`: saves what the Worker's `inputRead`
 * yields → `{ size, sizeText }`. The name and type are kept if they pass
 * vault-core's checks (a type it does not take is guessed from the name).
 * @param {string} path_text
 * @param {string} name
 * @param {string} media_type
 * @returns {any}
 */
export function putDocument(path_text, name, media_type) {
    let ptr0, len0, ptr1, len1, ptr2, len2;
    try {
        ptr0 = passStringToWasm0(path_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = passStringToWasm0(media_type, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.putDocument(ptr0, len0, ptr1, len1, ptr2, len2);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `putText(path, value)` → `{}`.
 * @param {string} path_text
 * @param {string} value
 * @returns {any}
 */
export function putText(path_text, value) {
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(path_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(value, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.putText(ptr0, len0, ptr1, len1);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `qrSvg(text)`: the QR code of `text` as an SVG picture (the CLI's
 * `--qr-svg`), or throws `bad_input`.
 * @param {string} text
 * @returns {string}
 */
export function qrSvg(text) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.qrSvg(ptr0, len0);
        var ptr2 = ret[0];
        var len2 = ret[1];
        if (ret[3]) {
            ptr2 = 0; len2 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred3_0 = ptr2;
        deferred3_1 = len2;
        return getStringFromWasm0(ptr2, len2);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * `readBegin(path)` → `{ name, type, size }`: starts reading the document
 * one chunk at a time for a download the browser pulls (`readNext`),
 * replacing one started before. Nothing is read yet.
 * @param {string} path_text
 * @returns {any}
 */
export function readBegin(path_text) {
    const ptr0 = passStringToWasm0(path_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.readBegin(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `readDocument(path)`: hands the document to the Worker's `outputWrite`
 * chunk by chunk → `{ name, type }` (the name made safe to save, the type
 * one a browser shows without running anything). On a problem, the
 * Worker discards what it was given.
 * @param {string} path_text
 * @returns {any}
 */
export function readDocument(path_text) {
    const ptr0 = passStringToWasm0(path_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.readDocument(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `readEnd()`: drops the reader begun with `readBegin` (the download ended
 * or was cancelled).
 */
export function readEnd() {
    wasm.readEnd();
}

/**
 * `readNext(max)` → the next bytes of the document begun with
 * `readBegin`: whole chunks, authenticated, at least one and as many as
 * fit in `max` bytes; empty once the whole document was given and
 * checked. A problem (a document damaged or changed, the vault locked)
 * ends the reading: the Worker abandons the download.
 * @param {number} max
 * @returns {any}
 */
export function readNext(max) {
    const ret = wasm.readNext(max);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `redeemBody(href, key, nowSecs)`: the exact JSON body of
 * `POST /v1/redeem` that `vault agency redeem` sends (token id; with a key
 * also agency, timestamp and proof), or throws a `Problem` (`bad_link`).
 * @param {string} href
 * @param {any} key
 * @param {number} now_secs
 * @returns {string}
 */
export function redeemBody(href, key, now_secs) {
    let deferred4_0;
    let deferred4_1;
    try {
        const val2 = +now_secs;
        const ptr0 = passStringToWasm0(href, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.redeemBody(ptr0, len0, key, val2);
        var ptr3 = ret[0];
        var len3 = ret[1];
        if (ret[3]) {
            ptr3 = 0; len3 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred4_0 = ptr3;
        deferred4_1 = len3;
        return getStringFromWasm0(ptr3, len3);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}

/**
 * `relayUnreachable(origin)`: the problem for a relay that could not be
 * reached (nothing was sent, nothing kept).
 * @param {string} origin
 * @returns {any}
 */
export function relayUnreachable(origin) {
    const ptr0 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.relayUnreachable(ptr0, len0);
    return ret;
}

/**
 * `remove(path)` → `{}`.
 * @param {string} path_text
 * @returns {any}
 */
export function remove(path_text) {
    const ptr0 = passStringToWasm0(path_text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.remove(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `removeContact(name)` → `{}`.
 * @param {string} name
 * @returns {any}
 */
export function removeContact(name) {
    const ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.removeContact(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `setLanguage(tag)`: speak the language of `tag` (a BCP 47 tag such as
 * `es-MX`, or a code of `vault_core::messages::LANGUAGES`) from now on,
 * English when there is no catalogue for it; answers the code used. The
 * page and the Worker each call it for their own instance.
 * @param {string} tag
 * @returns {string}
 */
export function setLanguage(tag) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(tag, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.setLanguage(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * `shareAbandon()`: the share being made is forgotten and its record
 * removed (the relay was not reached, so nobody can use it).
 */
export function shareAbandon() {
    wasm.shareAbandon();
}

/**
 * `shareAnswer(status, bodyText)`: the relay's answer to the upload →
 * `{ link, qrSvg, tokenId, shortId, expires, expiresText, uses }`; if the
 * relay refused, the share's record is removed and the problem thrown.
 * @param {number} status_code
 * @param {string} body
 * @returns {any}
 */
export function shareAnswer(status_code, body) {
    const val2 = +status_code;
    const ptr0 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.shareAnswer(val2, ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `shareRequest(args, origin, nowSecs)`: builds the share (its record is
 * kept in the vault) and the upload → `{ method, path, headers: [[name,
 * value]], body: Uint8Array }`. The Worker sends it and gives the answer
 * to `shareAnswer`, or calls `shareAbandon` if the relay was not reached.
 * @param {any} args
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function shareRequest(args, origin, now_secs) {
    const val2 = +now_secs;
    const ptr0 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.shareRequest(args, ptr0, len0, val2);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `shares(origin, status, bodyText)`: the vault's shares joined with the
 * relay's list (`status` 0: the relay was not reached) → `{ shares:
 * [{ tokenId, shortId, fields, who, purpose, expires, expiresText,
 * usesLeft, maxUses, status, statusText }], relayReached }`, newest first.
 * @param {string} origin
 * @param {number} status_code
 * @param {string} body
 * @returns {any}
 */
export function shares(origin, status_code, body) {
    const val3 = +status_code;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.shares(ptr0, len0, val3, ptr1, len1);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `sharesRequest(origin, nowSecs)`: `GET /v1/shares`, signed.
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function sharesRequest(origin, now_secs) {
    const val2 = +now_secs;
    const ptr0 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.sharesRequest(ptr0, len0, val2);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `storageProblem()`: the problem for a commit the browser refused.
 * @returns {any}
 */
export function storageProblem() {
    const ret = wasm.storageProblem();
    return ret;
}

/**
 * `takeChanges()`: the records changed since the last call, as
 * `[hexKey, Uint8Array | null]` (null: removed), for the Worker to
 * commit in one IndexedDB transaction.
 * @returns {Array<any>}
 */
export function takeChanges() {
    const ret = wasm.takeChanges();
    return ret;
}

/**
 * `text(id, args)`: the catalogue's message `id` (or `id.attribute`)
 * with `args`, a plain object of strings and numbers. For the page, with
 * no vault needed.
 * @param {string} id
 * @param {any} args
 * @returns {string}
 */
export function text(id, args) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passStringToWasm0(id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.text(ptr0, len0, args);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * `unlock(passphrase)` → `{ id, repairs }`; `wrong_passphrase`,
 * `no_vault`.
 * @param {string} passphrase
 * @returns {any}
 */
export function unlock(passphrase) {
    const ptr0 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.unlock(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `unreachable()`: the `Problem` for a relay that could not be reached
 * (kind `unknown`): whether the code is valid is not known.
 * @returns {any}
 */
export function unreachable() {
    const ret = wasm.unreachable();
    return ret;
}

/**
 * `withdrawRequest(tokenId, origin, nowSecs)`: `POST /v1/revoke` for one
 * share (`tokenId` the full id from `shares`), or `POST /v1/revoke-all`
 * when `tokenId` is null.
 * @param {string | null | undefined} token_id
 * @param {string} origin
 * @param {number} now_secs
 * @returns {any}
 */
export function withdrawRequest(token_id, origin, now_secs) {
    const val3 = +now_secs;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = isLikeNone(token_id) ? 0 : passStringToWasm0(token_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(origin, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.withdrawRequest(ptr0, len0, ptr1, len1, val3);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * `withdrawn(status, bodyText, listStatus, listText, nowSecs, one)`: the
 * relay's answer to a withdrawal, and to the `GET /v1/shares` asked right
 * after (`listStatus` 0: not reached) → `{ text, stopped: [line] }` in
 * the words of `vault revoke` (`one`: a single share was asked for).
 * @param {number} status_code
 * @param {string} body
 * @param {number} list_status
 * @param {string} list_body
 * @param {number} now_secs
 * @param {boolean} one
 * @returns {any}
 */
export function withdrawn(status_code, body, list_status, list_body, now_secs, one) {
    const val3 = +status_code;
    const val4 = +list_status;
    const val5 = +now_secs;
    const val6 = +one;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(list_body, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.withdrawn(val3, ptr0, len0, val4, ptr1, len1, val5, val6);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg___wbindgen_is_function_741ff2bb612836f5: function(arg0) {
            const ret = typeof(arg0) === 'function';
            return ret;
        },
        __wbg___wbindgen_is_null_c22311b1cc228e3a: function(arg0) {
            const ret = arg0 === null;
            return ret;
        },
        __wbg___wbindgen_is_object_8b968c3ab8e96595: function(arg0) {
            const val = arg0;
            const ret = typeof(val) === 'object' && val !== null;
            return ret;
        },
        __wbg___wbindgen_is_string_fc456fee5d3317de: function(arg0) {
            const ret = typeof(arg0) === 'string';
            return ret;
        },
        __wbg___wbindgen_is_undefined_be5b34249ff1fc15: function(arg0) {
            const ret = arg0 === undefined;
            return ret;
        },
        __wbg___wbindgen_number_get_934b640d0889af78: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'number' ? obj : undefined;
            getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
        },
        __wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'string' ? obj : undefined;
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            var len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_call_40b008ba32f73991: function() { return handleError(function (arg0, arg1) {
            const ret = arg0.call(arg1);
            return ret;
        }, arguments); },
        __wbg_call_a410eb4b59ed5965: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = arg0.call(arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_crypto_23f565a907d30078: function(arg0) {
            const ret = arg0.crypto;
            return ret;
        },
        __wbg_docCreate_d3323ea53b2407a1: function() { return handleError(function (arg0, arg1) {
            const ret = folioHost.docCreate(getStringFromWasm0(arg0, arg1));
            return ret;
        }, arguments); },
        __wbg_docFlush_3032a03969fd6cef: function() { return handleError(function (arg0, arg1) {
            folioHost.docFlush(getStringFromWasm0(arg0, arg1));
        }, arguments); },
        __wbg_docOpen_7c94d2da18a09e82: function() { return handleError(function (arg0, arg1) {
            const ret = folioHost.docOpen(getStringFromWasm0(arg0, arg1));
            return ret;
        }, arguments); },
        __wbg_docRead_be7b4386b9b6801a: function() { return handleError(function (arg0, arg1, arg2, arg3) {
            const ret = folioHost.docRead(getStringFromWasm0(arg0, arg1), arg2, arg3 >>> 0);
            return ret;
        }, arguments); },
        __wbg_docRemove_6d1b7b4d8599071a: function() { return handleError(function (arg0, arg1) {
            folioHost.docRemove(getStringFromWasm0(arg0, arg1));
        }, arguments); },
        __wbg_docWrite_652a929ffc4fd589: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
            const ret = folioHost.docWrite(getStringFromWasm0(arg0, arg1), arg2, getArrayU8FromWasm0(arg3, arg4));
            return ret;
        }, arguments); },
        __wbg_from_eac91875c8a5ffa4: function(arg0) {
            const ret = Array.from(arg0);
            return ret;
        },
        __wbg_getRandomValues_d2908e0b99612b91: function() { return handleError(function (arg0, arg1) {
            arg0.getRandomValues(arg1);
        }, arguments); },
        __wbg_getTimezoneOffset_87127d92c2c117e9: function(arg0) {
            const ret = arg0.getTimezoneOffset();
            return ret;
        },
        __wbg_get_2080c49015e35254: function() { return handleError(function (arg0, arg1) {
            const ret = Reflect.get(arg0, arg1);
            return ret;
        }, arguments); },
        __wbg_get_d7176cfb76d71114: function(arg0, arg1) {
            const ret = arg0[arg1 >>> 0];
            return ret;
        },
        __wbg_get_unchecked_e6325ad374eff861: function(arg0, arg1) {
            const ret = arg0[arg1 >>> 0];
            return ret;
        },
        __wbg_inputRead_d3c76f18f8fd08a4: function() { return handleError(function (arg0) {
            const ret = folioHost.inputRead(arg0 >>> 0);
            return ret;
        }, arguments); },
        __wbg_instanceof_Uint8Array_d7aeb0dcb3108fea: function(arg0) {
            let result;
            try {
                result = arg0 instanceof Uint8Array;
            } catch (_) {
                result = false;
            }
            const ret = result;
            return ret;
        },
        __wbg_keys_105f5c0857898f84: function(arg0) {
            const ret = Object.keys(arg0);
            return ret;
        },
        __wbg_length_186163212ffe79c3: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_length_b03a0fabb109b1e9: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_msCrypto_d5f06fad6bf1409b: function(arg0) {
            const ret = arg0.msCrypto;
            return ret;
        },
        __wbg_new_37eb45aaf5eeb820: function() {
            const ret = new Array();
            return ret;
        },
        __wbg_new_3e95cd7386bb9a6c: function(arg0) {
            const ret = new Date(arg0);
            return ret;
        },
        __wbg_new_cd4348290afae586: function() {
            const ret = new Object();
            return ret;
        },
        __wbg_new_from_slice_b8daf545a41c6aa0: function(arg0, arg1) {
            const ret = new Uint8Array(getArrayU8FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_with_length_01b143a7e5dd5a3e: function(arg0) {
            const ret = new Uint8Array(arg0 >>> 0);
            return ret;
        },
        __wbg_node_86166ff8ce1f2002: function(arg0) {
            const ret = arg0.node;
            return ret;
        },
        __wbg_now_463ac581d2fc7ea3: function() {
            const ret = Date.now();
            return ret;
        },
        __wbg_outputWrite_10754357a1de536c: function() { return handleError(function (arg0, arg1) {
            folioHost.outputWrite(getArrayU8FromWasm0(arg0, arg1));
        }, arguments); },
        __wbg_process_91f425a63f58e399: function(arg0) {
            const ret = arg0.process;
            return ret;
        },
        __wbg_prototypesetcall_13162965d1fe7aa3: function(arg0, arg1, arg2) {
            Uint8Array.prototype.set.call(getArrayU8FromWasm0(arg0, arg1), arg2);
        },
        __wbg_push_c9f4893fc209f768: function(arg0, arg1) {
            const ret = arg0.push(arg1);
            return ret;
        },
        __wbg_randomFillSync_34b023059e3363de: function() { return handleError(function (arg0, arg1) {
            arg0.randomFillSync(arg1);
        }, arguments); },
        __wbg_require_9a7d8cc2e1d275c0: function() { return handleError(function () {
            const ret = module.require;
            return ret;
        }, arguments); },
        __wbg_set_2793479888329cb6: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = Reflect.set(arg0, arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc: function() {
            const ret = typeof globalThis === 'undefined' ? undefined : globalThis;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_static_accessor_GLOBAL_e4293fb22cbe77da: function() {
            const ret = typeof global === 'undefined' ? undefined : global;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_static_accessor_SELF_53bb20457401453d: function() {
            const ret = typeof self === 'undefined' ? undefined : self;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_static_accessor_WINDOW_b5e0810bfecb7feb: function() {
            const ret = typeof window === 'undefined' ? undefined : window;
            return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
        },
        __wbg_subarray_58f388a9247ac0bb: function(arg0, arg1, arg2) {
            const ret = arg0.subarray(arg1 >>> 0, arg2 >>> 0);
            return ret;
        },
        __wbg_versions_6e128a981b0df859: function(arg0) {
            const ret = arg0.versions;
            return ret;
        },
        __wbindgen_generic_0000000000000001: function(arg0) {
            // Cast intrinsic for `F64 -> Externref`.
            const ret = arg0;
            return ret;
        },
        __wbindgen_generic_0000000000000002: function(arg0, arg1) {
            // Cast intrinsic for `Ref(Slice(U8)) -> NamedExternref("Uint8Array")`.
            const ret = getArrayU8FromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_generic_0000000000000003: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./folio_app_bg.js": import0,
    };
}

const AgencyKeyFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_agencykey_free(ptr, 1));

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = __wbg_init_once(module_or_path);
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

async function __wbg_init_once(module_or_path) {

    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('folio_app_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
