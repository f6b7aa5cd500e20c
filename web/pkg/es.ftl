-ask-again = Si todavía necesitas esta información, pregunta a la persona que te dio el código si quiere compartirla otra vez.
problem-revoked = Este código ya no se puede usar
    .message = Ya no abre nada.
    .next = { -ask-again }
problem-expired = Este código ha vencido
    .message = Se terminó el tiempo para el que se dio este código, así que ya no se puede usar.
    .next = { -ask-again }
problem-used-up = Este código ya se usó
    .message = Este código ya se usó todas las veces que permite, así que ya no se puede usar.
    .next = Si tú no lo abriste antes, díselo a la persona que te dio el código: puede que otra persona lo haya usado. Pregúntale si quiere compartir otra vez.
problem-not-yet-valid = Este código todavía no es válido
    .message = Este código empieza más tarde, o el reloj de este dispositivo no está bien.
    .next = Revisa la fecha, la hora y la zona horaria de este dispositivo, o inténtalo más tarde.
problem-wrong-audience = Este código es para otra organización
    .message = El archivo de clave cargado no es la clave de la organización a la que se dio este código.
    .next = Carga el archivo de clave de tu organización e inténtalo otra vez. Revisa también el reloj de este dispositivo: si está desviado más de 5 minutos, el servidor no puede confirmar la clave.
problem-clock-skew = El reloj de este dispositivo no está bien
    .message = El reloj de este dispositivo está desviado más de 5 minutos, así que el servidor no pudo confirmar la clave. No se usó el código.
    .next = Corrige la fecha, la hora y la zona horaria de este dispositivo, y luego inténtalo otra vez.
problem-needs-key = Este código es para una organización concreta
    .message = Solo puede abrirlo la organización a la que se dio este código, con su archivo de clave.
    .next = Carga el archivo de clave de tu organización (un archivo .vaultkey, hecho en el equipo de la organización con "vault agency export-key") y su frase de contraseña, y luego inténtalo otra vez.
problem-not-found = No se encontró nada para este código
    .message = Puede que el código esté incompleto o mal copiado, o que el servidor ya no lo tenga.
    .next = Escanea el código otra vez, o copia el enlace completo. Si sigue sin funcionar, pide a la persona que te dio el código que comparta otra vez.
problem-rate-limited = Demasiados intentos en este momento
    .message = El servidor está recibiendo demasiadas solicitudes ahora mismo.
    .next = Espera un minuto y vuelve a intentarlo.
problem-busy = El servidor está ocupado
    .message = El servidor no puede responder a esto ahora mismo.
    .next = Espera un minuto y vuelve a intentarlo.
problem-not-genuine = No se pudo verificar esta información
    .message = Lo que envió el servidor no pasó las comprobaciones, así que no se muestra nada. Puede que se haya cambiado por el camino.
    .next = No uses nada de esto. Pide a la persona que te dio el código que comparta otra vez, y avisa a quien se ocupe de la seguridad en tu organización.
problem-bad-link = Este enlace no está completo
    .message = Esto no es un enlace para compartir que se pueda usar, o le falta una parte.
    .next = Escanea el código otra vez, o copia el enlace completo, con todo lo que va después de "#".
problem-bad-key-file = Este archivo de clave no se puede usar
    .message = El archivo no es un archivo de clave de una organización (el de un acompañante no sirve aquí), o está dañado.
    .next = Elige el archivo .vaultkey hecho en el equipo de tu organización con "vault agency export-key".
problem-wrong-passphrase = La frase de contraseña no abrió el archivo de clave
    .message = La frase de contraseña no corresponde a este archivo de clave, o el archivo se cambió.
    .next = Revisa la frase de contraseña e inténtalo otra vez. Si sigue sin funcionar, haz un archivo de clave nuevo en el equipo de la organización con "vault agency export-key".
problem-unknown = No pudimos confirmar este código
    .message = No se pudo llegar al servidor, o no se entendió su respuesta, así que no se sabe si este código es válido.
    .next = No lo des por válido. Revisa la conexión a internet e inténtalo otra vez. Si entonces dice que el código ya se usó, puede que el primer intento haya contado: pide un código nuevo.
problem-clock-skew-off = El reloj de este dispositivo está desviado { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } ({ $direction ->
        [ahead] adelantado respecto a
       *[behind] atrasado respecto a
    } la hora del servidor), así que el servidor no pudo confirmar la clave. No se usó el código.
check-remove-question = ¿Quitar { $fields ->
        [one] el campo dañado
       *[other] los { $fields } campos dañados
    }? Ya nadie { $fields ->
        [one] lo
       *[other] los
    } puede leer, y no { $fields ->
        [one] se puede
       *[other] se pueden
    } recuperar.
check-removed = Se { $removed ->
        [one] quitó 1 campo dañado
       *[other] quitaron { $removed } campos dañados
    }.
check-advice-fields = Para conservar un campo dañado, guárdalo otra vez con `vault put --replace FIELD`; para quitar los campos que no se pueden leer, usa `vault check --repair`.
check-advice-other = Los registros de accesos dañados se quedan como están; `vault revoke --all` sigue retirando todos los accesos en el servidor.
check-all-read = { $count ->
        [one] El único campo guardado se lee
       *[other] Los { $count } campos guardados se leen
    } bien, y los documentos hasta el último byte.
check-some-read = { $count ->
        [one] 1 campo guardado se lee
       *[other] { $count } campos guardados se leen
    } bien.
check-document-damaged = { $path } está dañado: su documento no se puede leer.
check-records-damaged = { $count ->
        [one] 1 campo está dañado y no se puede leer; su nombre está guardado dentro, así que no se puede mostrar.
       *[other] { $count } campos están dañados y no se pueden leer; sus nombres están guardados dentro, así que no se pueden mostrar.
    }
check-other-damaged = { $count ->
        [one] 1 registro de un acceso o del servidor está dañado y no se puede leer.
       *[other] { $count } registros de accesos o del servidor están dañados y no se pueden leer.
    }
contact-not-yours = { $id } no es uno de tus contactos. Comprueba este id con { $role ->
        [advocate] la persona acompañante
       *[agency] la organización
    } en persona, o con su propio código QR; para darle un nombre: vault contacts add NAME { $id }
contact-added = Se añadió { $label }. Usa el nombre donde se pida un id, por ejemplo: { $use_it }
contact-use-shares-by-name = vault advocate shares lo muestra por su nombre
contact-same-id = Este id también es tu contacto "{ $other }"; ahora los dos nombres se refieren { $role ->
        [advocate] a la misma persona acompañante
        [agency] a la misma organización
       *[other] al mismo { $role }
    }.
contacts-unreadable = { $count ->
        [one] No se pudo leer 1 contacto; puede que esté dañado. Añádelo otra vez si lo necesitas.
       *[other] No se pudieron leer { $count } contactos; puede que estén dañados. Añádelos otra vez si los necesitas.
    }
contacts-none = Todavía no tienes contactos. Añade uno con: vault contacts add NAME ID
contact-removed = Se quitó el contacto { $label }. Los accesos y permisos que ya diste no cambian; míralos con `vault grants`.
key-file-exists = { $path } ya existe, así que no se escribió ningún archivo de clave; elige otro nombre de archivo.
key-file-written = Se escribió el archivo de clave de la organización en { $path }. Cárgalo en la página de la organización, con la frase de contraseña que acabas de elegir, para abrir en un teléfono o en otro equipo los accesos destinados a esta organización.
    Quien tenga este archivo y su frase de contraseña puede abrir los accesos destinados a esta organización, así que cuídalo como la propia caja fuerte de la organización: solo en dispositivos que la organización controla, nunca por correo ni en una carpeta compartida, y borra las copias que ya no hagan falta.
key-file-rename-tip = Consejo: cambia su nombre para que termine en { $ending }, la terminación que busca la página de la organización.
key-file-agency-id = Id de la organización: { $id }
key-file-folder-not-allowed = Este usuario no puede crear archivos en la carpeta { $folder }, así que no se escribió ningún archivo de clave; elige una carpeta en la que puedas escribir.
key-file-random-failed = Falló el generador de números aleatorios de este equipo, así que no se escribió ningún archivo de clave. Inténtalo otra vez.
key-file-not-written = { $reason }, así que no se escribió ningún archivo de clave.
key-file-written-advocate = Se escribió tu archivo de clave de acompañante en { $path }. Cárgalo en Folio (la aplicación, en "Actuar por alguien"), con la frase de contraseña que acabas de elegir, para ver y retirar, desde un teléfono o desde otro equipo, los accesos de las personas que te dieron permiso.
    Quien tenga este archivo y su frase de contraseña puede retirar los accesos de todas las personas que te dieron permiso, así que cuídalo como tu propia caja fuerte: solo en dispositivos que controlas, nunca por correo ni en una carpeta compartida, y borra las copias que ya no hagan falta.
key-file-rename-tip-advocate = Consejo: cambia su nombre para que termine en { $ending }, la terminación que busca Folio.
key-file-advocate-id = Id de acompañante: { $id }
id-qr-note = Alguien con quien trabajas puede añadirte a sus contactos escaneando este código, o escribiendo este id: vault contacts add NAME { $id }
rm-question = ¿Quitar { $path }? No se puede recuperar.
rm-removed = Se quitó { $path }.
id-empty = el id está vacío; pega el id completo, que empieza por `{ $expected_prefix }1`
id-wrong-role = este es el id de { $found ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    }, pero aquí hace falta el id de { $expected ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    }; comprueba que copiaste el correcto
id-malformed = este id tiene un error o está incompleto; cópialo otra vez, empieza por `{ $expected_prefix }1`
path-empty = el nombre del campo está vacío; usa un nombre como `needs.housing`
path-too-long = el nombre del campo es demasiado largo; usa como máximo { $max_segments } partes y { $max_path_len } caracteres, como `needs.housing`
path-empty-segment = el nombre del campo tiene una parte vacía entre puntos; usa un nombre como `needs.housing`
path-segment-too-long = una parte del nombre del campo tiene más de { $max_segment_len } caracteres; usa palabras más cortas
path-bad-character = los nombres de campo usan solo letras minúsculas sin acentos, cifras, `_` y `-`, y cada parte empieza por una letra, como `needs.housing`
contact-empty-name = ponle un nombre al contacto, como "Vivienda Norte"
contact-bad-name = el nombre de un contacto debe ser una sola línea de { $max_name_chars } caracteres como máximo
contact-name-like-id = el nombre de un contacto no puede empezar como un id (agency1…, advocate1…, survivor1…); elige otro nombre
contact-exists = ya tienes un contacto llamado "{ $value }"; quítalo antes con `vault contacts rm`, o elige otro nombre
contact-not-found = no hay ningún contacto llamado "{ $value }"; mira `vault contacts ls`, o da el id completo
contact-wrong-role = "{ $name }" es { $found ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    }, pero aquí hace falta { $expected ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    }; da el nombre o el id de { $expected ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    }
contact-not-a-contact-role = { $found ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    } no puede ser un contacto aquí; añade { $keeper ->
        [advocate] el id de una persona o de una organización
       *[other] el id de una organización o de una persona acompañante
    }
scope-empty = no se eligió ningún campo; nombra cada campo que quieres compartir, como `identity.name,needs.*`
scope-too-many = demasiados campos en un solo acceso; elige { $max_entries } como máximo
scope-bad-entry = `{ $entry }` no es un nombre de campo ni `name.*`: { $reason }
frame-bad-magic = no es el tipo de datos esperado
frame-unknown-version = lo hizo una versión más nueva de este programa
frame-malformed = datos dañados
crypto-decrypt = no se pudo descifrar
crypto-random = falló el generador de números aleatorios del sistema
crypto-derive = falló la derivación de la clave
stream-decrypt = no se pudo descifrar
stream-misuse = una parte del tamaño equivocado, o después de la última parte
kdf-out-of-range = los ajustes de derivación de clave de esta caja fuerte no son unos que esta versión acepte
log-damaged = el historial tiene una entrada dañada
log-chain-mismatch = las entradas del historial no coinciden con su resumen firmado; se cambió
log-bad-signature = el resumen del historial no está firmado por el servidor que conoces
log-rewritten = el historial es más corto que el que viste antes, o distinto; se reescribió o se recortó
request-malformed = faltan las cabeceras de firma de la solicitud, o están mal formadas
request-wrong-role = esta solicitud debe firmarse con otro tipo de clave
request-stale = la hora de la solicitud está demasiado lejos del reloj del servidor
request-bad-signature = la firma de la solicitud no se verifica
token-bad-magic = esto no es un token de consentimiento
token-unknown-version = este token de consentimiento lo hizo una versión más nueva
token-trailing-bytes = el token de consentimiento tiene bytes de más al final
token-malformed = el token de consentimiento está dañado o incompleto
token-non-canonical = el token de consentimiento no está en su única forma válida
token-bad-key = la clave de firma del token de consentimiento no es válida
token-bad-signature = la firma del token de consentimiento no coincide; se cambió o se falsificó
token-bad-uses = el token de consentimiento no permite ningún uso, o permite demasiados
token-bad-window = el token de consentimiento termina antes de empezar
token-too-long = el token de consentimiento es válido durante demasiado tiempo; ningún consentimiento dura para siempre
token-not-yet-valid = el consentimiento todavía no es válido
token-expired = el consentimiento ha vencido
token-wrong-audience = el consentimiento se dio a otra organización
token-wrong-secret = el enlace no corresponde a este token de consentimiento
key-file-too-large = este archivo es demasiado grande para ser un archivo de clave; elige el archivo .vaultkey hecho con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-empty = este archivo está vacío, así que no es un archivo de clave; elige el archivo .vaultkey hecho con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-not-key-file = esto no es un archivo de clave; elige el archivo .vaultkey hecho con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-truncated = este archivo de clave está incompleto, quizá se cortó al copiarlo; cópialo otra vez, o haz uno nuevo con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-damaged = este archivo de clave está dañado; haz uno nuevo con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-unknown-version = este archivo de clave lo hizo una versión más nueva de este programa; actualiza este programa, o haz un archivo de clave nuevo con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-settings = este archivo de clave pide ajustes de derivación de clave fuera de lo aceptado, así que no se abrió; haz uno nuevo con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-wrong-passphrase = la frase de contraseña no es correcta, o el archivo se cambió; revisa la frase de contraseña e inténtalo otra vez, o haz un archivo de clave nuevo con `vault agency export-key` (si eres acompañante: `vault advocate export-key`)
key-file-not-agency = este archivo de clave no guarda la clave de una organización (el archivo de clave de un acompañante solo sirve en Folio, en "Actuar por alguien"); elige el archivo hecho con `vault agency export-key`
key-file-not-advocate = este archivo de clave no guarda la clave de un acompañante (el archivo de clave de una organización solo sirve en la página de la organización); elige el archivo hecho con `vault advocate export-key`
key-file-wrong-role = en un archivo de clave solo se pueden guardar las claves de una organización o de un acompañante
key-file-random = falló el generador de números aleatorios del sistema, así que no se hizo ningún archivo de clave; inténtalo otra vez
store-io = falló el almacenamiento: { $value }
link-scheme = el enlace debe empezar por https://
link-insecure = el enlace usa http:// hacia otra máquina; solo los enlaces https:// son seguros
link-host = el nombre del servidor en el enlace no es válido
link-path = esto no es un enlace para compartir (debería contener /S#)
link-missing-secret = al enlace le falta la parte que va después de #; copia el enlace completo
link-encoding = la parte que va después de # tiene caracteres que no pueden estar en un enlace para compartir; cópiala otra vez
link-length = la parte que va después de # es demasiado corta o demasiado larga; copia el enlace completo
open-unreadable = { $part ->
        [token] no se pudo leer el token
        [share] no se pudieron leer los datos compartidos
        [receipt] no se pudo leer el recibo
        [receipt-signature] no se pudo leer la firma del recibo
       *[relay] el servidor no dijo quién es
    }
open-wrong-token-id = es para otro acceso, no para el de este enlace
open-not-signed = los datos compartidos no son los que firmó quien los envió
open-bad-share = no se pudieron descifrar los datos compartidos; puede que se hayan cambiado
open-consent-mismatch = el texto de consentimiento no es el que vio quien lo envió
open-out-of-scope = contiene un campo que quien lo envió no aceptó compartir
open-bad-receipt = el recibo del servidor no coincide
bundle-malformed = esto no es un paquete de subida, o está incompleto
picture-too-large = La imagen { $path } pesa más de { $max_mib } MiB, demasiado para ser una foto de { $what ->
        [id] un código de id
       *[share] un código para compartir
    }. Haz una foto más pequeña del código, o da { $what ->
        [id] el id
       *[share] el enlace
    } en su lugar.
contact-needs-id = Da el id del contacto, o --image PICTURE con una foto de su código de id.
request-clock-skew = El reloj de este equipo está desviado { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } ({ $direction ->
        [ahead] adelantado respecto a
       *[behind] atrasado respecto a
    } la hora del servidor), así que el servidor no aceptó la solicitud y no se cambió nada. Corrige la fecha, la hora y la zona horaria de este equipo, y luego inténtalo otra vez.
request-clock-skew-unknown = El reloj de este equipo está desviado más de 5 minutos respecto al del servidor, así que el servidor no aceptó la solicitud y no se cambió nada. Corrige la fecha, la hora y la zona horaria de este equipo, y luego inténtalo otra vez.
request-clock-corrected = El reloj de este equipo está desviado { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } ({ $direction ->
        [ahead] adelantado respecto a
       *[behind] atrasado respecto a
    } la hora del servidor), así que la solicitud se firmó otra vez con la hora del servidor. Corrige la fecha, la hora y la zona horaria de este equipo cuando puedas.
qr-too-long = el enlace es demasiado largo para un código QR
qr-not-png = la imagen no es un archivo PNG que se pueda leer
qr-not-picture = el archivo no es una imagen PNG o JPEG que se pueda leer. Da una foto o una captura de pantalla del código guardada como JPEG o PNG
qr-heic = esta imagen está en formato HEIC, que este programa no puede leer. En el teléfono, comparte o exporta la foto como JPEG (en un iPhone: Ajustes, Cámara, Formatos, Más compatible), o haz una captura de pantalla del código y usa esa
qr-too-large = la imagen es demasiado grande; usa una imagen más pequeña o una captura de pantalla
qr-not-found = no se pudo leer ningún código QR en la imagen; prueba con una imagen más nítida y con más luz
qr-io = no se pudo escribir la imagen: { $reason }
time-long = { $day } de { $month ->
        [1] enero
        [2] febrero
        [3] marzo
        [4] abril
        [5] mayo
        [6] junio
        [7] julio
        [8] agosto
        [9] septiembre
        [10] octubre
        [11] noviembre
       *[12] diciembre
    } de { $year }, { $time } { $zone }
time-minutes = { $count ->
        [one] 1 minuto
       *[other] { $count } minutos
    }
time-hours = { $count ->
        [one] 1 hora
       *[other] { $count } horas
    }
time-days = { $count ->
        [one] 1 día
       *[other] { $count } días
    }
time-weeks = { $count ->
        [one] 1 semana
       *[other] { $count } semanas
    }
time-two = { $first } y { $second }
time-three = { $first }, { $second } y { $third }
vault-not-found = no hay ninguna caja fuerte en { $folder }
vault-already-exists = ya hay una caja fuerte en { $folder }
vault-not-a-folder = { $folder } es un archivo, no una carpeta
vault-not-empty = la carpeta { $folder } ya tiene otros archivos
vault-locked = la caja fuerte está abierta en otro programa
vault-wrong-passphrase = la frase de contraseña no abrió esta caja fuerte
vault-header-damaged = la información de la clave de la caja fuerte está dañada
vault-newer = la caja fuerte la hizo una versión más nueva de este programa
vault-field-not-found = no hay nada guardado en { $field }
vault-unreadable = no se pudo descifrar { $field }; puede que esté dañado o que se haya cambiado
vault-identity-unreadable = no se pudo descifrar la identidad de la caja fuerte; puede que esté dañada o que se haya cambiado
vault-record-unreadable = no se pudo descifrar un registro guardado; puede que esté dañado o que se haya cambiado
vault-old-store-unreadable = los registros de la caja fuerte están en un formato antiguo que no se pudo leer; puede que estén dañados
vault-not-private = otras personas de este equipo pueden leer { $folder }, y no se pudo hacer privado
vault-text-too-long = el texto tiene más de { $max_text_len } bytes
grant-nothing-matches = no hay nada guardado en { $entry }; usa `vault ls` para ver lo que está guardado
grant-empty-purpose = di para qué es, en pocas palabras
grant-purpose-lines = escribe el motivo en una sola línea, sin caracteres especiales
grant-purpose-too-long = el motivo tiene más de { $max_purpose_len } bytes; dilo de forma más breve
grant-not-an-agency = un acceso solo se puede dirigir al id de una organización (agency1…)
grant-origin = la dirección del servidor no se puede usar: { $reason }
grant-io = no se pudo escribir el acceso sellado: { $reason }
share-decrypt = no se pudieron descifrar los datos compartidos; puede que se hayan cambiado
name-empty = el nombre del archivo está vacío
name-too-long = el nombre del archivo tiene más de { $max_name_len } bytes
name-hidden = el nombre del archivo tiene un carácter oculto o de control
name-separator = el nombre del archivo tiene una / o una \
name-dots = el nombre del archivo son solo puntos
name-media-type = el tipo de contenido no es un tipo/subtipo simple
refusal-revoked = Este código ya no se puede usar.
refusal-expired = Se terminó el tiempo para el que se dio este acceso. Ya no se puede usar.
refusal-not-yet-valid = Este acceso todavía no es válido. Revisa el reloj de este equipo, o inténtalo más tarde.
refusal-used-up = Este acceso ya se usó todas las veces que permite.
refusal-wrong-audience = Este acceso se dio a otra organización, así que no se puede usar aquí.
refusal-not-found = No se encontró ningún acceso para este código. Comprueba que se copió el código completo.
refusal-bad-request = No se pudo entender la solicitud, o no estaba bien firmada.
refusal-rate-limited = Demasiadas solicitudes en este momento. Espera un minuto y vuelve a intentarlo.
refusal-too-large = La solicitud es demasiado grande.
refusal-conflict = Este acceso ya está en el servidor.
refusal-busy = El servidor está ocupado con otras subidas en este momento. Espera un minuto y vuelve a intentarlo.
refusal-method-not-allowed = Esta dirección no acepta ese tipo de solicitud; mira /openapi.json para ver lo que acepta.
refusal-clock-skew = El reloj de este equipo está demasiado lejos de la hora del servidor. Corrige la fecha, la hora y la zona horaria, y luego inténtalo otra vez; no se usó nada.
refusal-no-permission = Ahora no tienes permiso para actuar por esta persona, así que no se hizo nada.
mode-not-private = no se pudo hacer privado { $path }: { $reason }
error-cancelled = No se cambió nada.
error-file-not-found = No se encontró el archivo { $path }. Revisa el nombre y la carpeta, y luego inténtalo otra vez.
error-folder-not-found = La carpeta { $folder } no existe, así que no se pudo crear { $path }. Crea la carpeta primero, o da una ruta en una carpeta que exista.
error-permission-denied = Este programa no tiene permiso para { $action ->
        [read] leer
        [write] escribir
        [create] crear
       *[other] usar
    } { $path }. Revisa los permisos del archivo.
error-output-exists = { $path } ya existe, así que no se escribió nada. Elige otro nombre de archivo, o mueve antes ese archivo.
error-is-a-folder = { $path } es una carpeta, no un archivo. Da la ruta de un archivo.
error-read-only-disk = { $path } está en un disco en el que no se puede escribir, así que no se escribió nada. Elige un lugar en otro disco.
error-no-space = No hay espacio suficiente en el disco para { $action ->
        [read] leer
        [write] escribir
        [create] crear
       *[other] guardar
    } { $path }, así que no se guardó nada. Libera espacio en el disco, y luego inténtalo otra vez.
error-bad-output = { $path } no es un nombre de archivo que este sistema acepte. Elige un nombre más sencillo.
error-io = No se pudo { $action ->
        [read] leer
        [write] escribir
        [create] crear
       *[other] usar
    } { $path }. Revisa el disco y la ruta, y luego inténtalo otra vez.
error-vault-not-readable = Este usuario no puede abrir la carpeta de la caja fuerte { $folder } (permiso denegado), así que no se cambió nada. Hazlo con el usuario que creó la caja fuerte, o vuelve a hacer tuya la carpeta.
error-the-vault = la caja fuerte
error-the-vault-in = la caja fuerte de { $folder }
error-vault-not-writable = Este usuario no tiene permiso para cambiar los archivos de { $vault } (permiso denegado), así que no se cambió nada. Hazlo con el usuario que creó la caja fuerte, o vuelve a hacer tuyos su carpeta y sus archivos.
error-vault-read-only = { $vault_cap } está en un disco en el que no se puede escribir, así que no se cambió nada. Copia la carpeta de la caja fuerte a un disco en el que se pueda escribir, y úsala allí con --vault.
error-vault-no-space = El disco donde está { $vault } está lleno, así que no se cambió nada. Libera espacio en el disco, y luego inténtalo otra vez.
error-vault-storage = { $vault_cap } no se pudo leer ni escribir, así que no se cambió nada. Comprueba que el disco tiene espacio y que la carpeta y sus archivos son tuyos, y luego inténtalo otra vez.
error-no-vault = Todavía no hay ninguna caja fuerte en { $folder }. Para crear una, usa `vault init`; si tu caja fuerte está en otra carpeta, indícala con --vault.
error-vault-exists = Ya hay una caja fuerte en { $folder }, así que no se cambió nada. Para crear otra, elige una carpeta nueva con --vault.
error-folder-not-empty = La carpeta { $folder } ya tiene otros archivos, así que no se creó ahí ninguna caja fuerte. Elige una carpeta vacía o nueva con --vault.
error-not-a-folder = { $folder } es un archivo, no una carpeta, así que no se creó ahí ninguna caja fuerte. Elige una carpeta para la caja fuerte con --vault.
error-locked = La caja fuerte está abierta en otro programa ahora mismo. Cierra ese programa, y luego inténtalo otra vez.
error-wrong-passphrase = Esa frase de contraseña no abrió la caja fuerte. No se cambió nada; inténtalo otra vez.
error-header-damaged = Las dos copias de la información de la clave de la caja fuerte están dañadas, así que no se puede abrir. Si tienes una copia de la carpeta de la caja fuerte, prueba con la copia.
error-identity-damaged = Las dos copias de la identidad de la caja fuerte están dañadas, así que no se puede abrir. Si tienes una copia de la carpeta de la caja fuerte, prueba con la copia.
error-newer-vault = Esta caja fuerte la hizo una versión más nueva de este programa. Actualízalo, y luego inténtalo otra vez.
error-field-not-found = No hay nada guardado en { $field }. Usa `vault ls` para ver lo que está guardado.
error-could-not-decrypt = { $field } está dañado y no se puede leer; tus otros campos están bien. Para conservarlo, guárdalo otra vez con `vault put --replace { $field }`, y usa `vault check` para ver si hay algo más dañado.
error-old-store-unreadable = Esta caja fuerte la guardó una versión anterior, y no se pudieron leer sus registros para ponerlos al día; la carpeta se quedó exactamente como estaba. Si tienes una copia de la carpeta de la caja fuerte, prueba con la copia.
error-not-private = Otras personas de este equipo pueden leer { $path }, y este programa no pudo hacerlo privado, así que no se abrió la caja fuerte. Haz que la carpeta y sus archivos sean solo tuyos (por ejemplo: chmod -R go-rwx), y luego inténtalo otra vez.
error-text-too-long = Ese texto tiene más de { $max_text_len } bytes. Guárdalo como documento, con --file PATH.
error-random = Falló el generador de números aleatorios de este equipo, así que no se guardó nada. Inténtalo otra vez.
error-failure = { $vault_cap } no pudo hacer eso, así que no se cambió nada. Inténtalo otra vez.
passphrase-file-too-long = El archivo de frase de contraseña { $path } tiene más de { $max_file_len } bytes, así que no puede ser un archivo de frase de contraseña. Comprueba que diste el archivo correcto.
passphrase-file-not-text = El archivo de frase de contraseña { $path } no es texto. Guarda la frase de contraseña como texto simple.
passphrase-file-empty = El archivo de frase de contraseña { $path } está vacío. Escribe en él la frase de contraseña, y luego inténtalo otra vez.
passphrase-none-typed = No se escribió ninguna frase de contraseña, así que no se cambió nada. Inténtalo otra vez.
passphrase-none-given = No se dio ninguna frase de contraseña. Usa esto en una terminal para que te la pida, o usa --passphrase-file FILE.
passphrase-prompt = Frase de contraseña:
passphrase-prompt-new =
    Elige una frase de contraseña (al menos { $min_len } caracteres; unas cuantas palabras sin relación entre sí funcionan bien).
    No se muestra mientras escribes.
    Frase de contraseña nueva:
passphrase-prompt-key-file =
    Elige una frase de contraseña para el archivo de clave, distinta de la de la caja fuerte (al menos { $min_len } caracteres; unas cuantas palabras sin relación entre sí funcionan bien).
    La escribirás en la página de la organización para cargar la clave. No se muestra mientras escribes.
    Frase de contraseña del archivo de clave:
passphrase-too-short = Esa frase de contraseña es demasiado corta, así que no se cambió nada. Elige una frase de contraseña de al menos { $min_len } caracteres; unas cuantas palabras sin relación entre sí son fáciles de recordar y difíciles de adivinar.
passphrase-prompt-again = Escríbela otra vez para comprobarla:
passphrase-mismatch = Las dos frases de contraseña no eran iguales, así que no se cambió nada. Inténtalo otra vez.
passphrase-try-again = Esa frase de contraseña no abrió la caja fuerte. Escríbela otra vez.
passphrase-last-wrong = Esa frase de contraseña tampoco abrió la caja fuerte ({ $tries } intentos), así que no se cambió nada. Comprueba que las mayúsculas (Bloq Mayús) no están activadas y que el teclado está en el idioma que usaste al elegir la frase de contraseña, y luego vuelve a usar la orden. Nadie puede recuperar una frase de contraseña perdida, ni siquiera quienes hicieron este programa: sin ella, lo que hay en esta caja fuerte no se puede abrir.
words-the-value = el dato { $value }
words-missing-purpose = Di para qué es el acceso con --purpose, por ejemplo --purpose "solicitud de vivienda".
words-missing-fields = Di qué campos compartir con --fields, por ejemplo --fields needs.housing (`vault ls` muestra lo que guardaste).
words-missing-to = Di quién puede usar el acceso: --to con el nombre de contacto o el id de una organización, o --anyone para quien tenga el código.
words-missing-out = Di dónde guardar el archivo de clave con --out, por ejemplo --out agency.vaultkey.
words-missing-token-advocate = Di qué acceso retirar: su id del token, de `vault advocate shares`, o --all con el nombre de contacto o el id de la persona para todos sus accesos.
words-missing-token = Di qué acceso retirar: su id del token, de `vault grants`, o --all para todos tus accesos.
words-missing-link = Da el enlace del acceso (o - para leerlo de la entrada estándar), o --image con una imagen de su código QR.
words-missing-advocate = Di qué persona acompañante: el nombre de un contacto, o su id (advocate1…).
words-missing-survivor = Di de quién son los accesos: el nombre de un contacto, o su id (survivor1…).
words-missing-field = Da el nombre del campo, como needs.housing (`vault ls` muestra lo que guardaste).
words-missing-name = Da el nombre del contacto, como "Vivienda Norte".
words-missing-their-id = Da su id, o el texto de su código QR.
words-missing-id = Da su id (agency1… o advocate1…), o el texto de su código QR.
words-missing-other = { $what_cap } falta. Usa la orden con --help para ver lo que necesita.
words-unknown-option = Esta orden no tiene la opción `{ $option }`.
words-did-you-mean-option = ¿Querías decir { $option }?
words-see-options = Úsala con --help para ver sus opciones.
words-unknown-command = No existe la orden `{ $command }`.
words-did-you-mean-command = ¿Querías decir `{ $command }`?
words-see-commands = Usa vault --help para ver las órdenes.
words-see-values = Usa la orden con --help para ver lo que acepta.
words-choose-one = Elige uno de estos: { $choices }.
words-needs-value = { $option } necesita un valor.
words-bad-value = `{ $value }` no es un valor que se pueda usar para { $option }.
words-another-option = otra opción
words-conflict = { $option_cap } y { $other } no se pueden usar juntas; da una u otra.
words-not-utf8 = Una de las palabras que diste no es texto legible (no es UTF-8), así que no se hizo nada. Escríbela otra vez con el teclado, o revisa cómo se pegó.
words-not-understood = No se pudo entender esta línea de órdenes. Usa la orden con --help para ver cómo se usa.
main-no-home = No se encontró tu carpeta de datos de usuario. Elige la carpeta con --vault DIR.
main-old-folder-too = También hay una carpeta de una versión anterior de este programa, { $old }; este programa ahora usa { $new }. No se movió ni se quitó nada.
main-folder-renamed = Tu carpeta de datos tiene un nombre nuevo, más sencillo: { $old } ahora es { $new }. No se cambió nada de lo que hay dentro.
main-folder-not-renamed = No se pudo cambiar el nombre de tu carpeta de datos { $old } a { $new }, así que se usa donde está. No se cambió nada de lo que hay dentro.
main-bad-server = La dirección del servidor { $server } no se puede usar: { $reason }.
main-no-keys = Todavía no hay claves { $role ->
        [agency] de organización
        [advocate] de persona acompañante
        [relay] de servidor
       *[other] de { $role }
    } en { $folder }. Para crearlas, usa `vault { $role } init`; si están en otra carpeta, indícala con --vault.
main-wrong-kind = La carpeta { $folder } tiene las claves de { $found ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    }, no de { $wanted ->
        [agency] una organización
        [advocate] una persona acompañante
        [relay] un servidor
       *[survivor] una persona
    }. Elige la carpeta correcta con --vault.
main-repaired-header = Una de las dos copias de la información de la clave de tu caja fuerte estaba dañada o faltaba; se recuperó de la otra copia. No se perdió nada.
main-repaired-identity = Una de las dos copias de la identidad de tu caja fuerte estaba dañada o faltaba; se recuperó de la otra copia. No se perdió nada.
main-repaired-permissions = { $count ->
        [one] Otras personas de este equipo podían leer 1 archivo o carpeta de tu caja fuerte; ahora es privado, solo para ti.
       *[other] Otras personas de este equipo podían leer { $count } archivos o carpetas de tu caja fuerte; ahora son privados, solo para ti.
    }
main-migrated = { $count ->
        [one] Tu caja fuerte se puso al día: su único registro ahora está en un archivo propio, así que un daño en el disco solo puede afectar a lo que toque.
       *[other] Tu caja fuerte se puso al día: sus { $count } registros ahora están cada uno en su propio archivo, así que un daño en el disco solo puede afectar a lo que toque.
    }
output-no-terminal = { $question } No hay una terminal donde preguntar, así que no se cambió nada; añade { $flag } para seguir.
output-confirm = { $question } Escribe s para decir sí, o pulsa Enter para parar:
output-not-a-file-name = { $path } no es un nombre de archivo. Da la ruta de un archivo nuevo.
put-too-large-size = { $path } ocupa { $size }, más que el documento más grande que guarda una caja fuerte ({ $max }), así que no se guardó nada. Comprueba que es el archivo correcto; un archivo muy grande se puede guardar por partes.
put-too-large = { $path } ocupa más que el documento más grande que guarda una caja fuerte ({ $max }), así que no se guardó nada. Comprueba que es el archivo correcto; un archivo muy grande se puede guardar por partes.
put-no-space-size = No hay espacio libre suficiente en este disco para guardar { $path } ({ $size }) ({ $free } libres, y se dejan libres { $keep_free }), así que no se guardó nada. Libera espacio en el disco, y luego inténtalo otra vez.
put-no-space = No hay espacio libre suficiente en este disco para guardar { $path } ({ $free } libres, y se dejan libres { $keep_free }), así que no se guardó nada. Libera espacio en el disco, y luego inténtalo otra vez.
put-bad-file-name = El nombre de archivo { $name } { $why ->
        [not-text] no es texto válido
        [too-long] tiene más de { $max_name_len } bytes
        [hidden] tiene caracteres ocultos o de control
        [separator] tiene una barra invertida
       *[other] no es un nombre que se pueda usar
    }, así que no se puede guardar con el documento, y no se guardó nada. Cambia el nombre del archivo (o cópialo con un nombre sencillo), y luego guárdalo otra vez.
put-empty = No había nada que guardar. Escribe el texto después del nombre del campo, o escríbelo cuando se te pida.
put-saved = Se guardó { $field } ({ $kind ->
        [text] texto
        [document] documento
       *[other] { $kind }
    }, { $size }).
put-name-kept = Su nombre de archivo, "{ $name }", se guarda con él y va con él cuando se comparte.
put-replace = Ya hay algo guardado en { $field }. ¿Reemplazarlo?
put-type-text = Escribe lo que quieres guardar, y luego pulsa Enter:
put-not-text = Lo que se recibió no es texto. Para guardar un archivo, usa --file PATH.
put-read-failed = No se pudo leer el texto que había que guardar. Escríbelo otra vez, o guárdalo desde un archivo con --file.
get-wrote = Se escribió { $field } en { $path } ({ $size }). Solo tú puedes leer ese archivo; bórralo cuando ya no lo necesites.
get-document-named = { $field } es un documento, así que no se muestra aquí. Guárdalo en un archivo con --out PATH (se guardó desde un archivo llamado "{ $name }").
get-document = { $field } es un documento, así que no se muestra aquí. Guárdalo en un archivo con --out PATH.
ls-empty = Todavía no hay nada guardado. Guarda algo con `vault put FIELD`.
ls-unreadable = { $count ->
        [one] 1 elemento guardado está dañado y no se puede leer; todo lo que aparece aquí está bien. Usa `vault check` para ver más, y `vault check --repair` para quitar lo que no se puede leer.
       *[other] { $count } elementos guardados están dañados y no se pueden leer; todo lo que aparece aquí está bien. Usa `vault check` para ver más, y `vault check --repair` para quitar lo que no se puede leer.
    }
init-ready =
    Tu caja fuerte está lista en { $folder }.
    Solo tu frase de contraseña la abre. Nadie puede recuperarla por ti, así que guarda la frase de contraseña en un lugar seguro, lejos de este dispositivo.
init-ready-agency = Las claves de la organización están listas en { $folder }. Da el id de abajo a las personas con quienes trabajas, para que puedan compartir con esta organización.
init-ready-advocate = Las claves de acompañante están listas en { $folder }. Da el id de abajo a las personas con quienes trabajas si quieren que puedas retirar sus accesos por ellas.
init-your-id = Tu id
init-agency-id = Id de la organización
init-advocate-id = Id de acompañante
passwd-changed = Tu frase de contraseña cambió. La anterior ya no abre la caja fuerte.
permission-ending = Tu acompañante ({ $advocate }) puede actuar por ti hasta el { $until }. Si después quieres seguir teniendo su ayuda, vuelve a darle permiso (vault delegate).
grants-what-status = cuál es el estado de cada acceso
grants-offline = Se muestra lo que sabe este dispositivo; la columna de estado dice `unknown`.
grants-to-anyone = cualquiera que tenga el código
grants-unreadable = { $count ->
        [one] No se pudo descifrar 1 registro de acceso guardado; puede que esté dañado.
       *[other] No se pudieron descifrar { $count } registros de accesos guardados; puede que estén dañados.
    }
grants-none = Todavía no has compartido nada.
delegate-replace = ¿Quieres reemplazar ese permiso por este?
delegate-ask = ¿Quieres dejar que esta persona acompañante actúe por ti?
delegate-what-given = si la persona acompañante puede actuar por ti
delegate-not-noted = Se dio el permiso, pero esta caja fuerte no pudo anotarlo; `vault delegate` no podrá decir qué reemplaza un permiso nuevo.
delegate-done =
    Hecho. Hasta el { $until }, { $advocate } puede ver cómo están tus accesos y retirarlos si se lo pides.
    Para una llamada de emergencia, da tu id a tu acompañante, para que pueda encontrar tus accesos:
    {"  "}{ $id }
    Para terminarlo antes: vault undelegate { $undelegate }
delegate-too-short = Un permiso debe durar al menos 5 minutos; da una duración como 7d (lo máximo son 90 días).
delegate-too-long = Un permiso puede durar como máximo { $longest }; elige un tiempo más corto. Puedes volver a dar permiso más adelante.
delegate-passed = Esa hora ya pasó. Da una hora en el futuro, como 7d.
undelegate-none = { $advocate } no tenía permiso para actuar por ti, así que no cambió nada.
undelegate-what-removed = si se quitó el permiso
undelegate-done = { $advocate } ya no puede actuar por ti.
-cannot-undo = Esto no puede deshacer lo que una organización ya haya podido ver.
revoke-already = Ese acceso ya estaba retirado, así que no cambió nada.
revoke-nothing-left = No quedaba nada por retirar, así que no cambió nada.
revoke-done-one = Retirado. Desde ahora nadie puede usarlo. { -cannot-undo }
revoke-done-some-ended = { $count ->
        [one] Se retiró 1 acceso; puede que ya hubiera terminado (vencido o agotado). Desde ahora nadie puede usarlo. { -cannot-undo }
       *[other] Se retiraron { $count } accesos; puede que algunos ya hubieran terminado (vencidos o agotados). Desde ahora nadie puede usarlos. { -cannot-undo }
    }
revoke-all-ended = { $count ->
        [one] Ya no se podía usar nada: ese acceso ya había terminado (vencido o agotado), y ahora también está retirado.
       *[other] Ya no se podía usar nada: esos { $count } accesos ya habían terminado (vencidos o agotados), y ahora también están retirados.
    }
revoke-done-live = { $count ->
        [one] Se retiró 1 acceso que todavía se podía usar. Desde ahora nadie puede usarlo. { -cannot-undo }
       *[other] Se retiraron { $count } accesos que todavía se podían usar. Desde ahora nadie puede usarlos. { -cannot-undo }
    }
revoke-also-ended = { $count ->
        [one] 1 más ya había terminado (vencido o agotado) y ahora también está retirado.
       *[other] { $count } más ya habían terminado (vencidos o agotados) y ahora también están retirados.
    }
revoke-bad-token-id = Da el id del token del acceso, de `vault grants` (al menos sus 8 primeros caracteres, 0-9 y a-f).
revoke-what-all = si se retiraron tus accesos
revoke-no-such-token = Ninguno de tus accesos tiene ese id del token. Usa `vault grants` para verlos.
revoke-ambiguous = Más de uno de tus accesos empieza así; da más caracteres del id del token.
revoke-what-one = si se retiró el acceso
revoke-line = { $short_id }  para { $to }  con el motivo "{ $purpose }"
revoke-line-elsewhere = { $short_id }  (no se hizo en este dispositivo)
grant-bad-uses = --uses debe estar entre 1 y { $max_uses }; la opción segura es 1.
grant-ask = ¿Quieres compartir esto?
grant-what-stored = si se guardó el acceso
grant-nothing-shared = No se compartió nada.
grant-nothing-shared-again = No se compartió nada; puedes intentarlo otra vez.
grant-show-to-agency = Muestra este código solo a la organización { $agency }; nadie más puede usarlo.
grant-show-to-anyone = Cualquiera que tenga este código o enlace puede usarlo, así que muéstralo solo a la persona que quieres.
grant-shared =
    Compartido. { $who }
    Funciona hasta el { $until }. Puedes retirarlo cuando quieras con `vault revoke { $withdraw_id }`.
grant-token-id = Id del token: { $token_id }
grant-print-heading = Información compartida
grant-print-scan = Escanea para abrir
grant-print-until = Válido hasta el { $until }
grant-print-uses = Usos: { $uses }
grant-print-withdraw-id = Id para retirar: { $withdraw_id }
grant-upload-file-failed = No se pudo escribir el acceso sellado en este equipo, así que no se compartió nada. { $kind ->
        [full] El disco está lleno: libera espacio,
        [not-allowed] Este programa no puede escribir en la carpeta de la caja fuerte: revisa sus permisos,
       *[other] Revisa el disco,
    } y luego inténtalo otra vez.
grant-bad-expiry = `{ $value }` no es un tiempo que se entienda aquí. Da una duración como 30m, 12h, 7d o 2w, o una fecha UTC como 2026-12-01T17:00Z.
grant-too-short = Un acceso debe durar al menos 5 minutos, para que pueda llegar al servidor y usarse; la opción segura es un tiempo corto, como 24h.
grant-passed = Esa hora ya pasó. Da una hora en el futuro, como 24h o 7d.
grant-too-long = Un acceso puede durar como máximo { $longest }; elige un tiempo más corto. Siempre puedes volver a compartir más adelante.
redeem-not-genuine = La respuesta del servidor no pasó las comprobaciones: { $what }. No uses nada de ella; pide a quien lo compartió que comparta otra vez.
redeem-stdin-unreadable = No se pudo leer el enlace de la entrada estándar. Da el enlace como argumento.
redeem-stdin-too-long = La entrada estándar tiene más de { $max } bytes, mucho más que un enlace para compartir, así que no se leyó. Da solo el enlace.
redeem-stdin-not-text = La entrada estándar no es texto, así que no tiene ningún enlace para compartir. Da solo el enlace.
redeem-no-link = Da el enlace del acceso, o --image PICTURE (una foto o captura de pantalla del código, en PNG o JPEG).
redeem-bad-link = Ese no es un enlace para compartir que se pueda usar: { $reason }.
redeem-no-free-name = No se encontró un nombre de archivo libre para { $field } en { $folder }. Da otra carpeta con --out FOLDER.
redeem-out-is-file = { $path } es un archivo, no una carpeta. Da una carpeta para los documentos.
redeem-what-opened = si este acceso se puede abrir
redeem-document-saved = documento, { $size } bytes, guardado como { $path }
redeem-verified =
    Verificado: firmado por quien esta organización conoce como
    {"  "}{ $issuer }
    Motivo: "{ $purpose }"
    Válido hasta: { $until } (uso { $use_number } de { $max_uses })

    Lo que aceptó quien lo envió, con las palabras que vio:
    { $consent_text }
    Úsalo solo para el motivo indicado. Quien lo envió puede retirarlo cuando quiera.
log-memory-damaged = Lo que esta caja fuerte recuerda del servidor está dañado.
log-not-saved = No se pudo guardar el resumen del historial.
log-tampered = Atención: { $what } No te fíes del historial de este servidor. Tu caja fuerte está a salvo; díselo a tu acompañante o a quien gestiona el servidor.
log-no-relay-id = el servidor no dijo quién es.
log-relay-key-changed = este servidor ahora firma con una clave distinta de la primera vez que lo usaste.
log-history-unreadable = no se pudo leer el historial.
log-summary-unreadable = no se pudo leer el resumen del historial.
log-signature-unreadable = no se pudo leer la firma del historial.
log-someone = alguien que tenía el código
log-anyone = cualquiera que tenga el código
log-the-agency = la organización { $agency }
log-an-agency-cap = Una organización
log-the-agency-cap = La organización { $agency }
log-an-advocate = una persona acompañante
log-shared = { $count ->
        [one] Compartiste { $share } con { $to }, hasta el { $until }, para 1 uso como máximo.
       *[other] Compartiste { $share } con { $to }, hasta el { $until }, para { $count } usos como máximo.
    }
log-opened = El acceso { $share } lo abrió { $by } (uso { $use_number }).
log-clock-refused = { $by_cap } pidió abrir el acceso { $share }, pero el servidor dijo que no porque el reloj de ese equipo no está bien. No se contó ningún uso; puede volver a intentarlo cuando su reloj esté bien.
log-refused = { $by } intentó abrir el acceso { $share } y el servidor dijo que no: { $reason }
log-advocate-withdrew = Tu acompañante ({ $advocate }) retiró el acceso { $share }.
log-an-advocate-withdrew = Una persona acompañante retiró el acceso { $share }.
log-you-withdrew = Retiraste el acceso { $share }.
log-other-key-withdrew = El acceso { $share } lo retiró una clave que no es tuya.
log-delegated = Dejaste que { $advocate } actúe por ti hasta el { $until }.
log-undelegated = Quitaste el permiso de { $advocate }.
log-what-history = cómo está tu historial
log-first-time = Es la primera vez que esta caja fuerte lee el historial de este servidor. Desde ahora recuerda la clave del servidor ({ $relay_id }) y te avisa si el historial cambia alguna vez.
log-empty = Todavía no ha pasado nada con tus accesos.
log-checked = Historial comprobado: { $count ->
        [one] 1 entrada
       *[other] { $count } entradas
    }, firmado por el servidor{ $kept ->
        [yes] , y todavía contiene todo lo que viste antes
       *[no] {""}
    }.
advocate-ends-in = { $at } (dentro de { $span })
advocate-whom-unknown = la persona que hizo este acceso
advocate-permission-ended = Tu permiso para actuar por { $whom } terminó el { $ended }, así que { $done }. Pídele que te vuelva a dar permiso (vault delegate), o que lo haga por su cuenta (vault revoke --all retira todos sus accesos).
advocate-no-permission = No tienes permiso de { $whom } para actuar en su nombre, así que { $done }. Revisa el id, y pídele que te dé permiso (vault delegate con tu id de "vault advocate id"), o que lo haga por su cuenta (vault revoke --all retira todos sus accesos).
advocate-done-not-listed = no se pueden mostrar sus accesos, y no se retiró nada
advocate-done-nothing-withdrawn = no se retiró nada: todos los accesos siguen como estaban
advocate-what-list = cuáles son sus accesos
advocate-what-withdrawn = si se retiró algo
advocate-what-token = qué acceso corresponde a ese id del token
advocate-what-clients = quién te ha dado permiso
advocate-no-shares = Esta persona no tiene accesos en el servidor.
advocate-permission-ending = Tu permiso para actuar por esta persona termina el { $until }. Después ya no podrás ver ni retirar sus accesos: si todavía quiere tu ayuda, pídele que te vuelva a dar permiso antes de esa fecha.
advocate-share-line = { $token_id }  { $status ->
        [active] activo
        [expired] vencido
        [used_up] agotado
        [revoked] retirado
       *[other] { $status }
    }  usado { $uses } de { $max_uses }  hasta el { $until }  para { $to }
advocate-person-not-token = Ese es el id de una persona, no el id del token de un acceso. Para retirar todos sus accesos, dalo con --all; para retirar uno, da su id del token de `vault advocate shares`.
advocate-bad-token-id = `{ $value }` no es un id del token. Da el id del token del acceso, de `vault advocate shares` (al menos sus 8 primeros caracteres, 0-9 y a-f).
advocate-no-such-token = Ninguno de los accesos que puedes ver empieza por ese id del token, así que no se retiró nada. Usa `vault advocate shares` con el nombre de contacto o el id de la persona para ver sus accesos.
advocate-some-ended = Tu permiso de { $count ->
        [one] 1 persona
       *[other] { $count } personas
    } ha terminado, así que no se buscó entre sus accesos; `vault advocate clients` muestra quiénes y cuándo.
advocate-ambiguous = Más de un acceso empieza así, así que no se retiró nada. Da más caracteres del id del token; estos coinciden:
advocate-match-line = { $token_id }  de { $whom }
advocate-revoke-needs = Da un id del token, o --all SURVIVOR_ID.
advocate-tell-them = Avisa a la persona de que ya está hecho.
advocate-no-clients = Nadie te ha dado permiso para actuar en su nombre en este servidor. La persona lo hace con "vault delegate" y tu id ("vault advocate id").
advocate-client-ended = terminó el { $at }
advocate-client-ends-soon = hasta el { $until } (termina pronto)
advocate-client-until = hasta el { $until }
cmd-print-failed = No se pudo mostrar el resultado, así que puede que no aparezca entero. Revisa adónde va la salida, y luego vuelve a usar la orden para verlo.
cmd-bad-field = `{ $value }` no es un nombre de campo que se pueda usar: { $reason }.
relay-unreachable = No se pudo llegar al servidor en { $origin }, así que no se envió nada. Revisa la dirección y la conexión, y luego inténtalo otra vez.
relay-lost = La conexión con el servidor en { $origin } se cortó antes de que llegara su respuesta, así que no se sabe { $what }. Revisa tu conexión, y luego inténtalo otra vez.
relay-timeout = El servidor en { $origin } no respondió en { $seconds } segundos, así que no se sabe { $what }. Revisa tu conexión a internet, y luego inténtalo otra vez.
relay-tls = No se pudo hacer una conexión segura con el servidor en { $origin }, así que no se envió nada. Revisa la dirección del servidor; si es correcta, avisa a quien gestiona el servidor.
relay-answer-too-large = El servidor en { $origin } envió una respuesta más grande que cualquier respuesta real ({ $mib } MiB), así que no se leyó y no se sabe { $what }. Revisa la dirección del servidor; si es correcta, avisa a quien gestiona el servidor.
relay-trouble = El servidor en { $origin } tiene problemas (estado HTTP { $status }), así que no se sabe { $what }. Inténtalo otra vez dentro de unos minutos.
relay-not-understood-status = El servidor en { $origin } dio una respuesta que este programa no entiende (estado HTTP { $status }), así que no se sabe { $what }. Revisa la dirección del servidor, y luego inténtalo otra vez.
relay-not-understood = El servidor en { $origin } dio una respuesta que este programa no entiende, así que no se sabe { $what }. Revisa la dirección del servidor, y luego inténtalo otra vez.
relay-redirect = El servidor en { $origin } respondió con una redirección a { $to }, que este programa nunca sigue, así que no se envió nada allí y no se sabe { $what }. Puede que la dirección del servidor esté mal: revísala, y luego inténtalo otra vez.
relay-no-random = Falló el generador de números aleatorios de este equipo, así que no se envió nada. Inténtalo otra vez.
permission-ended-on = Tu permiso para actuar por esta persona terminó el { $ended }, así que no se hizo nada. Pídele que te vuelva a dar permiso (vault delegate), o que lo haga por su cuenta.
permission-none = No tienes permiso para actuar por esta persona, así que no se hizo nada. Pídele que te dé permiso (vault delegate), o que lo haga por su cuenta.
backup-not-a-backup = este archivo no es una copia de seguridad de una caja fuerte; elige el archivo que guardaste como copia (su nombre termina en .backup)
backup-newer = esta copia la hizo una versión más nueva de este programa; actualiza el programa y vuelve a importarla
backup-wrong-passphrase = la frase de contraseña no abrió esta copia; una copia se abre con la frase que tenía la caja fuerte cuando se hizo
backup-truncated = esta copia está incompleta, quizá se cortó al copiarla, así que no se importó nada; cópiala otra vez desde donde la guardaste
backup-damaged = esta copia está dañada o fue cambiada, así que no se importó nada; usa otra copia
backup-not-empty = ya hay una caja fuerte aquí, así que no se importó nada
backup-other-role = esta copia guarda las claves de { $found }, no una caja fuerte tuya, así que no se importó nada
backup-vault-damaged = parte de la información guardada no se puede leer, así que no se hizo la copia; busca y quita lo que está dañado (`vault check --repair`) y vuelve a intentarlo
backup-read-failed = no se pudo leer la copia desde donde está guardada, así que no se importó nada; revisa el disco o cópiala otra vez
backup-write-failed = no se pudo escribir la copia, así que no se hizo; revisa que haya espacio donde va y vuelve a intentarlo
export-file-exists = { $path } ya existe, así que no se hizo la copia; elige otro nombre de archivo, como folio-2026-12-05.backup.
export-saved =
    Se guardaron { $records ->
        [one] 1 dato
       *[other] { $records } datos
    } y { $documents ->
        [one] 1 documento
       *[other] { $documents } documentos
    }, con tus accesos compartidos, contactos y acompañantes, en { $path } ({ $size }).
    Solo se abre con la frase de contraseña de esta caja fuerte. Guárdala en un lugar seguro, lejos de este dispositivo: una memoria USB, o un espacio al que solo tú puedas entrar.
import-vault-exists = Ya hay una caja fuerte en { $folder }, así que no se importó nada: una copia nunca reemplaza una caja fuerte ni se mezcla con ella. Para conservar las dos, importa en una carpeta nueva: vault --vault NEW-FOLDER import { $file }
import-try-again = Esa frase de contraseña no abrió la copia. Escríbela otra vez, por favor.
import-last-wrong = Esa frase de contraseña tampoco abrió la copia ({ $tries } intentos), así que no se importó nada. Una copia se abre con la frase que tenía la caja fuerte cuando se hizo. Revisa que las mayúsculas (Bloq Mayús) estén desactivadas y que el teclado esté en el idioma que usaste entonces, y vuelve a ejecutar la orden.
import-wrong-passphrase = La frase de contraseña no abrió la copia { $file }, así que no se importó nada. Una copia se abre con la frase que tenía la caja fuerte cuando se hizo.
import-bad-file = No se pudo importar { $file }: { $reason }.
import-done =
    Se importaron { $records ->
        [one] 1 dato
       *[other] { $records } datos
    } y { $documents ->
        [one] 1 documento
       *[other] { $documents } documentos
    }, con los accesos compartidos, contactos y acompañantes, en { $folder }.
    La caja fuerte se abre con la frase de contraseña que tenía cuando se hizo la copia.
app-name = Folio
app-quick-exit = Salir
app-loading = Abriendo…
app-nowasm-title = Folio no se puede abrir en este navegador
app-nowasm = Folio necesita WebAssembly, y este navegador lo tiene desactivado. Permítelo para este sitio, o usa otro navegador.
app-worker-failed = Folio dejó de funcionar en esta pestaña. Vuelve a cargar la página para empezar otra vez.
app-problem-generic = Algo salió mal y no se cambió nada. Inténtalo otra vez.
app-first-title = Preparar Folio
app-first-intro = Folio guarda tu información en este dispositivo, protegida con una frase de contraseña que tú eliges. Tú decides qué compartir, con quién y por cuánto tiempo.
app-first-no-recovery = Nadie puede recuperar una frase de contraseña perdida: ni quienes gestionan el servidor, ni nadie más. Una copia de seguridad (se hace en Ajustes) te ayuda a pasar a otro dispositivo, y se abre con la misma frase de contraseña.
app-first-restore = Si antes hiciste una copia de seguridad, puedes empezar desde ella.
app-private-mode = Esta es una ventana privada, así que este navegador no guardará nada: lo que añadas aquí se pierde al cerrar la ventana. Para conservarlo, abre Folio en una ventana normal.
app-passphrase = Frase de contraseña
app-passphrase-again = La misma frase de contraseña otra vez
app-passphrase-help = Varias palabras que solo tú juntarías son fáciles de recordar y difíciles de adivinar.
app-passphrase-empty = Primero escribe la frase de contraseña.
app-passphrase-mismatch = Las dos frases de contraseña no son iguales. Escribe otra vez la segunda.
app-create = Crear
app-creating = Preparando… Tarda unos segundos.
app-have-backup = Empezar desde una copia de seguridad
app-keep-title = Conservar tu información en este dispositivo
app-keep-intro = Un navegador puede borrar los datos de un sitio cuando le falta espacio. Puedes pedir a este navegador que conserve los datos de Folio.
app-keep-ask = Pedir al navegador que los conserve
app-keep-yes = Este navegador conservará los datos de Folio, salvo que alguien los borre.
app-keep-no = Este navegador no prometió conservar los datos de Folio, así que puede borrarlos cuando le falte espacio o tras semanas sin uso. Ayuda añadir Folio a la pantalla de inicio y hacer copias de seguridad (en Ajustes).
app-continue = Continuar
app-unlock-title = Abrir Folio
app-open = Abrir
app-opening = Abriendo… Tarda unos segundos.
app-locked = Folio está bloqueado.
app-locked-idle = Folio se bloqueó solo tras { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } sin uso.
app-home-title = ¿Qué quieres hacer?
app-nav-info = Mi información
app-nav-share = Compartir
app-nav-shares = Mis accesos compartidos
app-nav-history = Historial
app-nav-helpers = Acompañantes
app-nav-advocate = Actuar por otra persona
app-nav-settings = Ajustes
app-lock = Bloquear ahora
app-back = Volver al menú
app-go-back = Volver
app-backup-reminder = Algo cambió desde tu última copia de seguridad. Una copia nueva lo protege si este navegador pierde sus datos.
app-make-backup = Hacer una copia de seguridad
app-yes = Sí
app-no = No, volver
app-save = Guardar
app-saved = Se guardó.
app-preview = Revisar
app-change = Cambiar algo
app-info-title = Mi información
app-info-empty = Todavía no hay nada aquí. Puedes añadir un texto o un documento aquí abajo.
app-info-damaged = Algunos elementos no se pudieron leer, así que no se muestran. Puede que una copia de seguridad anterior todavía los tenga.
app-kind-text = Texto
app-kind-document = Documento
app-entry-detail = { $kind }, { $size }, cambiado el { $updated }
app-edit = Cambiar
app-remove = Quitar
app-download = Descargar
app-remove-confirm = ¿Quitar “{ $name }” de este dispositivo? No se puede deshacer.
app-removed = Se quitó.
app-add-text-title = Añadir o cambiar un texto
app-field-name = Nombre
app-name-help = Letras minúsculas sin acentos ni ñ, cifras, guiones y guiones bajos, empezando por una letra; un punto agrupa nombres, por ejemplo salud.alergias.
app-field-value = Texto
app-need-name = Primero ponle un nombre.
app-add-document-title = Añadir un documento
app-document-name = Nombre del documento
app-take-photo = Hacer una foto
app-choose-file = Elegir un archivo
app-add-document = Añadir
app-need-file = Primero haz una foto o elige un archivo.
app-document-added = Se añadió ({ $size }).
app-share-title = Compartir
app-share-fields = Qué compartir
app-share-no-fields = Todavía no hay nada que compartir. Primero añade algo en Mi información.
app-share-to = Quién puede abrirlo
app-share-to-contact = Una organización guardada
app-share-to-id = El id de una organización
app-share-to-anyone = Cualquiera que tenga el código
app-share-contact = Organización guardada
app-share-choose-contact = Elige una
app-share-id = Id de la organización
app-share-id-help = Pega el id que te dio la organización, o escanea su código.
app-share-save-as = Guardar esta organización con un nombre (puedes dejarlo vacío)
app-scan = Escanear su código
app-scan-stop = Dejar de escanear
app-scan-unavailable = Este navegador no puede escanear códigos. Pide a la organización su id como texto y pégalo.
app-scan-no-camera = No se pudo usar la cámara. Pega el id de la organización.
app-scan-found = Se leyó el código. Revisa el id y luego continúa.
app-share-purpose = Para qué es
app-share-hours = Límite de tiempo, en horas
app-share-uses = Cuántas veces se puede abrir
app-share-pick-field = Elige al menos una cosa para compartir.
app-share-pick-who = Elige quién puede abrirlo.
app-share-need-purpose = Di en pocas palabras para qué es.
app-share-need-number = Usa números enteros, de 1 o más.
app-preview-title = Revisa antes de compartir
app-preview-leaving = Exactamente lo que se compartirá
app-agree-share = Compartir esto
app-sharing = Compartiendo…
app-qr-title = Muestra este código
app-qr-alt = El código para escanear
app-qr-link = O envía este enlace:
app-qr-detail = Hasta el { $until }; se puede abrir { $uses ->
        [one] una vez
       *[other] { $uses } veces
    }.
app-done = Listo
app-qr-done = El código se borró de la pantalla. Puedes ver este acceso en Mis accesos compartidos.
app-shares-title = Mis accesos compartidos
app-shares-empty = No hay ningún acceso compartido.
app-shares-offline = No se pudo llegar al servidor, así que los usos y el estado pueden no estar al día.
app-share-who-anyone = cualquiera que tenga el código
app-share-line-purpose = Motivo: { $purpose }
app-share-line-to = Para: { $who }
app-share-line-fields = Qué: { $fields }
app-share-line-until = Hasta el { $until }
app-share-line-uses = Usos que quedan: { $left } de { $max }
app-withdraw = Retirar
app-withdraw-all = Retirar todos
app-withdraw-confirm = ¿Retirar este acceso? Después nadie podrá abrirlo.
app-withdraw-all-confirm = ¿Retirar todos los accesos? Después nadie podrá abrir ninguno.
app-history-title = Historial
app-history-empty = Todavía no ha pasado nada.
app-history-verified = Este historial se comprobó con la firma del servidor.
app-helpers-title = Acompañantes
app-helpers-intro = Una persona acompañante es alguien de confianza que te apoya. Puedes dejar que vea tus accesos y los retire por ti, durante los días que elijas, y terminarlo cuando quieras.
app-helpers-list = Quién puede actuar por ti
app-helpers-empty = Nadie puede actuar por ti.
app-helper-until = hasta el { $until }
app-end = Terminar
app-end-confirm = ¿Terminar ahora el permiso de esta persona acompañante?
app-helper-add-title = Dejar que una persona acompañante actúe por ti
app-helper-who = Nombre guardado o id de tu acompañante
app-helper-days = Durante cuántos días
app-helper-preview-title = Revisa antes de aceptar
app-agree-helper = Aceptar
app-advocate-title = Actuar por otra persona
app-advocate-intro = Si eres acompañante, carga aquí tu archivo de clave de acompañante para ver y retirar los accesos de las personas que te dieron permiso.
app-advocate-key = Archivo de clave de acompañante
app-advocate-key-passphrase = Frase de contraseña del archivo de clave
app-advocate-load = Cargar la clave
app-need-key-file = Primero elige el archivo de clave.
app-not-key-file = Este archivo es demasiado grande para ser un archivo de clave de acompañante. Elige el archivo hecho con "vault advocate export-key".
app-advocate-loaded = La clave está cargada y se guarda protegida en Folio.
app-advocate-clients = Personas por las que puedes actuar
app-advocate-no-clients = Nadie te ha dado permiso todavía, o no hay ninguna clave cargada.
app-advocate-show = Ver accesos
app-advocate-shares-of = Accesos de { $name }
app-advocate-withdraw-all-confirm = ¿Retirar todos los accesos de { $name }? Después nadie podrá abrir ninguno.
app-settings-title = Ajustes
app-relay = Dirección del servidor
app-autolock = Minutos sin uso antes de bloquear
app-autolock-range = Elige un número entero de minutos, de 1 a 60.
app-settings-saved = Se guardaron los ajustes.
app-language = Idioma
app-language-en = English
app-language-es = Español
app-backup-title = Copia de seguridad
app-backup-intro = Una copia de seguridad tiene todo lo que hay en Folio, protegido con tu frase de contraseña. Guárdala en un lugar seguro, lejos de este dispositivo.
app-backup-last = Última copia de seguridad: { $when }
app-backup-never = Todavía no has hecho ninguna copia de seguridad.
app-backup-export = Hacer una copia de seguridad
app-backup-made = La copia de seguridad está lista. Guárdala en un lugar seguro.
app-backup-import-title = Restaurar una copia de seguridad
app-backup-import-intro = Elige el archivo de la copia de seguridad y escribe la frase de contraseña con la que se hizo.
app-backup-file = Archivo de la copia de seguridad
app-backup-passphrase = Frase de contraseña de la copia
app-need-backup-file = Primero elige el archivo de la copia de seguridad.
app-backup-import = Restaurar
app-backup-replace-confirm = Esto reemplaza todo lo que hay en Folio en este dispositivo por la copia de seguridad. ¿Continuar?
app-backup-restored = Se restauró la copia de seguridad.
app-backup-restored-open = Se restauró la copia de seguridad. Abre Folio con la frase de contraseña de la copia.
app-advocate-no-key = Todavía no hay una clave de acompañante en Folio. Primero carga el archivo de clave hecho con "vault advocate export-key".
app-bad-days = Elige cuánto dura el permiso, en días enteros, de 1 a { $max_days }.
app-bad-hours = Elige cuánto dura el acceso, en horas enteras, de 1 a { $max_hours }.
app-helper-added = { $advocate } ya puede ayudarte hasta el { $until }: ver tus accesos compartidos y retirarlos, nunca lo que contienen. Puedes terminar esto cuando quieras en Acompañantes.
app-hint = { $score ->
        [0] Usa al menos { $min_len } caracteres.
        [1] Fácil de adivinar. Añade unas palabras que no tengan relación entre sí.
        [2] Podría ser más fuerte. Una o dos palabras más, sin relación, ayudarían.
        [3] Bien. Asegúrate de poder recordarla.
       *[4] Fuerte. Asegúrate de poder recordarla: nadie puede recuperarla.
    }
app-not-text = { $field } es un documento, no un texto. Descárgalo.
app-not-the-relay = La respuesta (estado HTTP { $status }) no vino de un servidor de Folio, así que no se sabe si esto se hizo. Revisa la dirección del servidor en Ajustes y vuelve a intentarlo.
app-problem-bad-input = Hay algo que cambiar primero
    .message = Parte de lo que escribiste no se puede usar, así que no se cambió nada.
    .next = Revisa lo que escribiste y vuelve a intentarlo.
app-problem-bad-path = Ese nombre no se puede usar
    .message = Un nombre son palabras cortas en minúsculas, unidas por puntos, como necesidades.vivienda.
    .next = Cambia el nombre y vuelve a guardar.
app-problem-exists = Ya hay un Folio en este dispositivo
    .message = Ya hay un Folio guardado en este navegador, así que no se cambió nada.
    .next = Ábrelo con tu frase de contraseña.
app-problem-locked = Folio está bloqueado
    .message = Estaba bloqueado, así que no se cambió nada.
    .next = Ábrelo con tu frase de contraseña y vuelve a intentarlo.
app-problem-no-vault = Todavía no hay nada guardado en este dispositivo
    .message = No se encontró ningún Folio en este navegador.
    .next = Crea uno, o restaura una copia de seguridad.
app-problem-open-elsewhere = Folio está abierto en otro lugar
    .message = Está abierto en otra pestaña o ventana de este navegador, así que no se abrió aquí.
    .next = Ciérralo allí (o bloquéalo) y vuelve a intentarlo.
app-problem-refused = El servidor dijo que no
    .message = El servidor lo rechazó, así que no se cambió nada.
    .next = Lee lo que dijo y vuelve a intentarlo, o elige otra cosa.
app-problem-relay-unreachable = No se pudo llegar al servidor
    .message = No se envió nada.
    .next = Revisa la conexión y la dirección del servidor en Ajustes, y vuelve a intentarlo.
app-problem-relay-elsewhere = Folio funciona con el servidor desde el que se abrió
    .message = Esta copia de Folio solo puede hablar con el servidor desde el que se abrió, así que la dirección no se cambió.
    .next = Para usar otro servidor, abre Folio desde la dirección de ese servidor.
app-problem-storage = Este navegador no guardó el cambio
    .message = El navegador no quiso guardarlo, así que no se cambió nada.
    .next = Revisa que el dispositivo tenga espacio libre y que el navegador pueda guardar datos de este sitio, y vuelve a intentarlo.
app-problem-unknown = Algo no funcionó
    .message = No se sabe si esto se hizo.
    .next = Vuelve a intentarlo. Si sigue pasando, haz una copia de seguridad y avisa a quien administra el servidor.
app-problem-wrong-passphrase = Esa frase de contraseña no abrió Folio
    .message = No se cambió nada.
    .next = Revisa que las mayúsculas (Bloq Mayús) estén desactivadas y que el teclado esté en el idioma que usaste, y vuelve a intentarlo.
app-share-status = { $status ->
        [active] Se puede usar
        [expired] Se acabó el tiempo
        [used_up] Se usaron todas las veces
        [revoked] Retirado
        [not_at_the_relay] No está en el servidor
        [at_another_relay] Está en otro servidor
       *[unknown] No se sabe ahora (no se llegó al servidor)
    }
redeem-relay-first-time = Esta carpeta ahora recuerda la clave de este servidor ({ $relay_id }) y te avisará si alguna vez cambia.
redeem-relay-key-bad = --relay-key necesita el id de un servidor (relay1…), tal como lo da quien administra el servidor; revísalo y vuelve a intentarlo.
redeem-relay-key-changed = Aviso: el servidor en { $origin } ahora firma con una clave distinta ({ $relay_id }) de la primera vez que esta carpeta lo usó; lo que recibiste sigue siendo exactamente lo que firmó la persona que lo compartió, pero pregunta a quien administra el servidor si cambió su clave y, si lo hizo, añade --relay-key { $relay_id } la próxima vez que abras un acceso allí.
redeem-relay-key-confirmed = Esta carpeta ahora recuerda la nueva clave del servidor ({ $relay_id }), como confirmaste.
redeem-relay-key-not-given = Aviso: el servidor firma con { $relay_id }, no con la clave que diste con --relay-key; lo que recibiste sigue siendo exactamente lo que firmó la persona que lo compartió, pero revisa la clave con quien administra el servidor antes de volver a darla.
redeem-relay-key-not-kept = Esta carpeta no pudo recordar la clave del servidor esta vez; lo que recibiste no se ve afectado.
token-bad-length = el token de consentimiento nombra un acceso más pequeño que cualquiera real, así que no se puede usar; pide un enlace nuevo
