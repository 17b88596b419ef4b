import type { BodySiteDefinition } from './bodySites.js'

/**
 * The shipped body-site list, head to toe. Re-exported as `bodySites` from './bodySites.js'
 * (import it from there). Split out only to keep each file short.
 *
 * Each `snomed` code and display was checked against the sources named in the comment next to
 * it (see the legend in './bodySites.js'). If a site has no `snomed`, no source confirmed a
 * code for it. Add a code only after checking it against a source, never by guessing.
 */
export const bodySiteList = [
  // Head and neck
  {
    value: 'scalp',
    label: { en: 'Scalp', fr: 'Cuir chevelu' },
    isicGeneral: 'head/neck',
    snomed: { code: '43067004', display: 'Skin structure of scalp' }, // DICOM, EHDSI
  },
  {
    value: 'forehead',
    label: { en: 'Forehead', fr: 'Front' },
    isicGeneral: 'head/neck',
    snomed: { code: '68698007', display: 'Skin structure of forehead' }, // DICOM, EHDSI, FHIMS
  },
  {
    value: 'face',
    label: { en: 'Face (other area)', fr: 'Visage (autre zone)' },
    isicGeneral: 'head/neck',
    snomed: { code: '73897004', display: 'Skin structure of face' }, // DICOM, EHDSI
  },
  {
    value: 'eyelid',
    label: { en: 'Eyelid', fr: 'Paupière' },
    isicGeneral: 'head/neck',
    snomed: { code: '51360009', display: 'Skin structure of eyelid' }, // EHDSI, VETSCT
  },
  {
    value: 'nose',
    label: { en: 'Nose', fr: 'Nez' },
    isicGeneral: 'head/neck',
    snomed: { code: '113179006', display: 'Skin structure of nose' }, // DICOM, EHDSI
  },
  {
    value: 'cheek',
    label: { en: 'Cheek', fr: 'Joue' },
    isicGeneral: 'head/neck',
    snomed: { code: '36141000', display: 'Skin structure of cheek' }, // DICOM, EHDSI
  },
  {
    value: 'ear',
    label: { en: 'Ear', fr: 'Oreille' },
    isicGeneral: 'head/neck',
    snomed: { code: '1902009', display: 'Skin structure of ear' }, // DICOM, EHDSI, FHIMS
  },
  {
    value: 'lips',
    label: { en: 'Lips', fr: 'Lèvres' },
    isicGeneral: 'head/neck',
    snomed: { code: '88089004', display: 'Skin structure of lip' }, // DICOM, EHDSI
  },
  {
    value: 'neck',
    label: { en: 'Neck', fr: 'Cou' },
    isicGeneral: 'head/neck',
    snomed: { code: '43081002', display: 'Skin structure of neck' }, // DICOM, EHDSI
  },
  // Anterior torso
  {
    value: 'chest',
    label: { en: 'Chest', fr: 'Thorax (face antérieure)' },
    isicGeneral: 'anterior torso',
    snomed: { code: '74160004', display: 'Skin structure of chest' }, // DICOM (CID 7151), EHDSI
  },
  {
    value: 'abdomen',
    label: { en: 'Abdomen', fr: 'Abdomen' },
    isicGeneral: 'anterior torso',
    snomed: { code: '75093004', display: 'Skin structure of abdomen' }, // DICOM, EHDSI, FHIMS
  },
  {
    value: 'groin',
    label: { en: 'Groin', fr: 'Pli inguinal' },
    isicGeneral: 'anterior torso',
    snomed: { code: '39687006', display: 'Skin structure of inguinal region' }, // DICOM, EHDSI
  },
  // Posterior torso
  {
    value: 'upper-back',
    label: { en: 'Upper back', fr: 'Haut du dos' },
    isicGeneral: 'posterior torso',
    // DICOM, EHDSI
    snomed: { code: '699893008', display: 'Skin structure of back of upper thoracic region' },
  },
  {
    value: 'lower-back',
    label: { en: 'Lower back', fr: 'Bas du dos (région lombaire)' },
    isicGeneral: 'posterior torso',
    snomed: { code: '113182001', display: 'Skin structure of lower back' }, // DICOM, EHDSI
  },
  {
    value: 'buttock',
    label: { en: 'Buttock', fr: 'Fesse' },
    isicGeneral: 'posterior torso',
    snomed: { code: '22180002', display: 'Skin structure of buttock' }, // DICOM, EHDSI, FHIMS
  },
  // Lateral torso
  {
    value: 'axilla',
    label: { en: 'Armpit (axilla)', fr: 'Aisselle (creux axillaire)' },
    isicGeneral: 'lateral torso',
    snomed: { code: '76261009', display: 'Skin structure of axilla' }, // DICOM, EHDSI
  },
  // No "skin of flank" code found in any source; 58602004 |Flank structure| is the whole region, not skin.
  { value: 'flank', label: { en: 'Flank', fr: 'Flanc' }, isicGeneral: 'lateral torso' },
  // Upper extremity
  {
    value: 'shoulder',
    label: { en: 'Shoulder', fr: 'Épaule' },
    isicGeneral: 'upper extremity',
    snomed: { code: '76552005', display: 'Skin structure of shoulder' }, // EHDSI, BE-IMG, FHIMS
  },
  {
    value: 'upper-arm',
    label: { en: 'Upper arm', fr: 'Bras' },
    isicGeneral: 'upper extremity',
    snomed: { code: '371309009', display: 'Skin structure of upper arm' }, // BE-VAC
  },
  {
    value: 'elbow',
    label: { en: 'Elbow', fr: 'Coude' },
    isicGeneral: 'upper extremity',
    snomed: { code: '74757004', display: 'Skin structure of elbow' }, // BE-IMG, FHIMS
  },
  {
    value: 'forearm',
    label: { en: 'Forearm', fr: 'Avant-bras' },
    isicGeneral: 'upper extremity',
    snomed: { code: '5742000', display: 'Skin structure of forearm' }, // EHDSI, BE-VAC, BE-IMG
  },
  {
    value: 'hand-dorsum',
    label: { en: 'Back of the hand', fr: 'Dos de la main' },
    isicGeneral: 'upper extremity',
    // DICOM (its code for the dorsum of the hand), EHDSI. There is no "dorsum of hand" skin concept.
    snomed: { code: '281642007', display: 'Skin of part of dorsal surface of hand' },
  },
  {
    value: 'fingers',
    label: { en: 'Fingers', fr: 'Doigts' },
    isicGeneral: 'upper extremity',
    snomed: { code: '244169007', display: 'Skin structure of digit of hand' }, // DICOM, EHDSI
  },
  {
    value: 'fingernails',
    label: { en: 'Fingernails', fr: 'Ongles des mains' },
    isicGeneral: 'upper extremity',
    snomed: { code: '770809003', display: 'Structure of nail unit of finger' }, // DICOM, EHDSI
  },
  // Palms and soles
  {
    value: 'palm',
    label: { en: 'Palm', fr: 'Paume de la main' },
    isicGeneral: 'palms/soles',
    snomed: { code: '70887009', display: 'Skin structure of palmar area of hand' }, // DICOM, EHDSI
  },
  {
    value: 'sole',
    label: { en: 'Sole of the foot', fr: 'Plante du pied' },
    isicGeneral: 'palms/soles',
    snomed: { code: '37136002', display: 'Skin structure of sole of foot' }, // EHDSI
  },
  // Lower extremity
  {
    value: 'thigh',
    label: { en: 'Thigh', fr: 'Cuisse' },
    isicGeneral: 'lower extremity',
    snomed: { code: '371305003', display: 'Skin structure of thigh' }, // BE-VAC
  },
  {
    value: 'knee',
    label: { en: 'Knee', fr: 'Genou' },
    isicGeneral: 'lower extremity',
    snomed: { code: '63464009', display: 'Skin structure of knee' }, // FHIMS
  },
  {
    value: 'lower-leg',
    label: { en: 'Lower leg', fr: 'Jambe' },
    isicGeneral: 'lower extremity',
    snomed: { code: '75144006', display: 'Skin structure of lower leg' }, // EHDSI
  },
  // No "skin of dorsum of foot" SNOMED CT code found (DICOM uses its own DCM codes for it).
  {
    value: 'foot-dorsum',
    label: { en: 'Top of the foot', fr: 'Dos du pied' },
    isicGeneral: 'lower extremity',
  },
  {
    value: 'toes',
    label: { en: 'Toes', fr: 'Orteils' },
    isicGeneral: 'lower extremity',
    snomed: { code: '52034004', display: 'Skin structure of toe' }, // DICOM, EHDSI
  },
  {
    value: 'toenails',
    label: { en: 'Toenails', fr: 'Ongles des pieds' },
    isicGeneral: 'lower extremity',
    snomed: { code: '770805009', display: 'Structure of nail unit of toe' }, // DICOM, EHDSI
  },
  // Oral and genital
  {
    value: 'oral-mucosa',
    label: { en: 'Oral mucosa', fr: 'Muqueuse buccale' },
    isicGeneral: 'oral/genital',
    snomed: { code: '113277000', display: 'Oral mucous membrane structure' }, // DICOM, EHDSI
  },
  {
    value: 'genitals',
    label: { en: 'External genitalia', fr: 'Organes génitaux externes' },
    isicGeneral: 'oral/genital',
    snomed: { code: '60944009', display: 'Skin structure of external genitalia' }, // DICOM, EHDSI
  },
  {
    value: 'perianal',
    label: { en: 'Perianal area', fr: 'Région périanale' },
    isicGeneral: 'oral/genital',
    snomed: { code: '21308002', display: 'Skin structure of perianal area' }, // EHDSI
  },
] as const satisfies readonly BodySiteDefinition[]
