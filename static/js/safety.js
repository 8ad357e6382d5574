/* sgconsole: safety */
'use strict';
